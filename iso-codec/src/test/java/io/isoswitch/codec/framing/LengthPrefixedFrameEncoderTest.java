package io.isoswitch.codec.framing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.EncoderException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LengthPrefixedFrameEncoderTest {
    @Test
    void prependsEachKindOfLengthHeader() {
        assertThat(encode("binary2", "ABC")).isEqualTo("0003414243");
        assertThat(encode("ascii4", "ABC")).isEqualTo("30303033414243");
        assertThat(encode("bcd2", "ABC")).isEqualTo("0003414243");
        assertThat(encode("bcd2", "A".repeat(1234))).startsWith("1234");
        assertThat(encode("ascii4", "A".repeat(1234))).startsWith("31323334");
    }

    @Test
    void answersACupPosRequestWithSwappedTpduAddressesAndTheSameHeader() {
        Framing framing = Framing.of("binary2", FramingOptions.cupPos());
        EmbeddedChannel channel = new EmbeddedChannel(framing.encoder());
        ByteBuf requestContent = PooledByteBufAllocator.DEFAULT.buffer()
                .writeBytes(ByteBufUtil.decodeHexDump("6000040000" + "612100311000" + "0200"));
        Frame request = new Frame(requestContent, io.isoswitch.codec.cup.CupHeader.PREFIX_LENGTH);
        ByteBuf responseBody = PooledByteBufAllocator.DEFAULT.buffer().writeBytes(ByteBufUtil.decodeHexDump("0210"));
        Frame response = framing.responseTo(request, responseBody, channel.alloc());
        request.release();
        assertThat(channel.writeOutbound(response)).isTrue();
        assertThat(drainHex(channel)).isEqualTo("000d" + "6000000004" + "612100311000" + "0210");
        assertThat(response.refCnt()).isZero();
        channel.finishAndReleaseAll();
    }

    @Test
    void writesAFramesPrefixAndBodyAsTheyAre() {
        EmbeddedChannel channel = new EmbeddedChannel(Framing.of("binary2", FramingOptions.plain()).encoder());
        ByteBuf body = PooledByteBufAllocator.DEFAULT.buffer().writeBytes(new byte[] {1, 2});
        channel.writeOutbound(new Frame(body, 0));
        assertThat(drainHex(channel)).isEqualTo("00020102");
        channel.finishAndReleaseAll();
    }

    @Test
    void refusesEmptyAndOversizeFramesAndReleasesThem() {
        Framing framing = Framing.of("ascii4", FramingOptions.plain().withMaxFrameLengthBytes(10));
        EmbeddedChannel channel = new EmbeddedChannel(framing.encoder());
        ByteBuf empty = PooledByteBufAllocator.DEFAULT.buffer();
        ByteBuf oversize = PooledByteBufAllocator.DEFAULT.buffer().writeZero(11);
        assertThatThrownBy(() -> channel.writeOutbound(empty)).isInstanceOf(EncoderException.class)
                .hasCauseInstanceOf(FrameException.class)
                .rootCause().hasMessage("outbound frame: expected 1 to 10 bytes, found 0 bytes");
        assertThatThrownBy(() -> channel.writeOutbound(oversize)).isInstanceOf(EncoderException.class)
                .rootCause().hasMessageContaining("found 11 bytes");
        assertThat(empty.refCnt()).isZero();
        assertThat(oversize.refCnt()).isZero();
        channel.finishAndReleaseAll();
    }

    @Test
    void passesOtherMessagesOn() {
        EmbeddedChannel channel = new EmbeddedChannel(Framing.of("binary2", FramingOptions.plain()).encoder());
        channel.writeOutbound("not a frame");
        assertThat(channel.<Object>readOutbound()).isEqualTo("not a frame");
        channel.finishAndReleaseAll();
    }

    private static String encode(String kind, String body) {
        EmbeddedChannel channel = new EmbeddedChannel(Framing.of(kind, FramingOptions.plain()).encoder());
        channel.writeOutbound(PooledByteBufAllocator.DEFAULT.buffer().writeBytes(body.getBytes(StandardCharsets.US_ASCII)));
        String hex = drainHex(channel);
        channel.finishAndReleaseAll();
        return hex;
    }

    private static String drainHex(EmbeddedChannel channel) {
        StringBuilder hex = new StringBuilder();
        ByteBuf part;
        while ((part = channel.readOutbound()) != null) {
            hex.append(ByteBufUtil.hexDump(part));
            part.release();
        }
        return hex.toString();
    }
}
