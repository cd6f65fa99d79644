package io.isoswitch.codec.framing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class LengthPrefixedFrameDecoderTest {
    private static final byte[] BODY_A = "0800-sign-on".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BODY_B = "0200-purchase-message".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest
    @EnumSource(LengthHeader.class)
    void decodesAFrameDeliveredOneByteAtATime(LengthHeader header) {
        Channels.Outcome outcome = Channels.feedByteByByte(plain(header), FrameBytes.frame(header, BODY_B));
        assertThat(outcome.bodies()).containsExactly(BODY_B);
        assertThat(outcome.closed()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(LengthHeader.class)
    void decodesManyFramesFromOneRead(LengthHeader header) {
        byte[] stream = FrameBytes.concat(FrameBytes.frame(header, BODY_A), FrameBytes.frame(header, BODY_B),
                FrameBytes.frame(header, BODY_A));
        Channels.Outcome outcome = Channels.feed(plain(header), stream);
        assertThat(outcome.bodies()).containsExactly(BODY_A, BODY_B, BODY_A);
    }

    @Test
    void writesTheLengthHeadersAsTheDialectsSpecifyThem() {
        assertThat(ByteBufUtil.hexDump(FrameBytes.frame(LengthHeader.BINARY2, new byte[383]), 0, 2)).isEqualTo("017f");
        assertThat(ByteBufUtil.hexDump(FrameBytes.frame(LengthHeader.ASCII4, new byte[383]), 0, 4)).isEqualTo("30333833");
        assertThat(ByteBufUtil.hexDump(FrameBytes.frame(LengthHeader.BCD2, new byte[383]), 0, 2)).isEqualTo("0383");
    }

    @ParameterizedTest
    @EnumSource(LengthHeader.class)
    void skipsZeroLengthKeepAlivesAndStaysOpen(LengthHeader header) {
        byte[] keepAlive = new byte[header.size()];
        header.write(0, Unpooled.wrappedBuffer(keepAlive).clear());
        byte[] stream = FrameBytes.concat(keepAlive, FrameBytes.frame(header, BODY_A), keepAlive);
        LengthPrefixedFrameDecoder decoder = plain(header).newDecoder();
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        ByteBuf received = PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(stream);
        channel.writeInbound(received);
        Frame frame = channel.readInbound();
        assertThat(ByteBufUtil.getBytes(frame.body())).isEqualTo(BODY_A);
        frame.release();
        assertThat(channel.<Object>readInbound()).isNull();
        assertThat(decoder.keepAlivesSeen()).isEqualTo(2);
        assertThat(channel.isOpen()).isTrue();
        channel.finishAndReleaseAll();
        assertThat(received.refCnt()).isZero();
    }

    @ParameterizedTest
    @EnumSource(LengthHeader.class)
    void closesOnAnOversizeLengthAsSoonAsTheHeaderArrives(LengthHeader header) {
        Framing framing = Framing.of(header.kindName(), FramingOptions.plain().withMaxFrameLengthBytes(100));
        byte[] oversize = FrameBytes.frame(header, new byte[101]);
        Channels.Outcome outcome = Channels.feed(framing, oversize, header.size());
        assertThat(outcome.closed()).isTrue();
        assertThat(outcome.bodies()).isEmpty();
        assertThat(outcome.events()).singleElement().isInstanceOfSatisfying(FrameException.class, e -> assertThat(e)
                .hasMessage("frame length header at stream offset 0: expected a length of at most 100, found length 101"));
    }

    @Test
    void closesOnANonDigitAsciiLengthAfterTheGoodFramesBeforeIt() {
        byte[] stream = FrameBytes.concat(FrameBytes.frame(LengthHeader.ASCII4, BODY_A),
                "00x1".getBytes(StandardCharsets.US_ASCII), FrameBytes.frame(LengthHeader.ASCII4, BODY_B));
        Channels.Outcome outcome = Channels.feed(plain(LengthHeader.ASCII4), stream);
        assertThat(outcome.bodies()).containsExactly(BODY_A);
        assertThat(outcome.closed()).isTrue();
        assertThat(outcome.events()).singleElement().isInstanceOfSatisfying(FrameException.class, e -> assertThat(e)
                .hasMessage("frame length header at stream offset 16: expected ascii4 digits, found bytes 30307831")
                .satisfies(x -> assertThat(x.offset()).isEqualTo(16)));
    }

    @Test
    void closesOnABcdLengthWithAHexNibble() {
        Channels.Outcome outcome = Channels.feed(plain(LengthHeader.BCD2), new byte[] {0x00, 0x1A, 1, 2, 3});
        assertThat(outcome.closed()).isTrue();
        assertThat(((FrameException) outcome.events().getFirst())).hasMessageContaining("found bytes 001A");
    }

    @Test
    void closesOnALengthThatLeavesNoBodyAfterTheTpduAndHeader() {
        Framing cup = Framing.of("binary2", FramingOptions.cupPos());
        Channels.Outcome outcome = Channels.feed(cup, FrameBytes.frame(LengthHeader.BINARY2, new byte[11]));
        assertThat(outcome.closed()).isTrue();
        assertThat(((FrameException) outcome.events().getFirst()))
                .hasMessageContaining("expected a length beyond the 11-byte prefix, found length 11");
    }

    @Test
    void exposesTpduAndHeaderOfTheUnionPaySamplePacket() throws IOException {
        byte[] packet = unionPaySample();
        Channels.Outcome outcome = Channels.feedByteByByte(Framing.of("binary2", FramingOptions.cupPos()), packet);
        assertThat(outcome.prefixes()).singleElement()
                .satisfies(prefix -> assertThat(ByteBufUtil.hexDump(prefix)).isEqualTo("6000040000" + "612100311000"));
        assertThat(outcome.bodies()).singleElement().satisfies(body -> {
            assertThat(body).hasSize(385 - 13);
            assertThat(ByteBufUtil.hexDump(body, 0, 2)).isEqualTo("0200");
        });
    }

    @Test
    void deliversRetainedSlicesOfTheReceivedBytesNotCopies() {
        EmbeddedChannel channel = new EmbeddedChannel(plain(LengthHeader.BINARY2).newDecoder());
        ByteBuf received = Unpooled.directBuffer().writeBytes(FrameBytes.frame(LengthHeader.BINARY2, BODY_A));
        channel.writeInbound(received);
        Frame frame = channel.readInbound();
        assertThat(frame.content().unwrap()).as("a derived buffer over the received bytes").isNotNull();
        assertThat(frame.content().refCnt()).isEqualTo(1);
        assertThat(frame.toString()).isEqualTo("Frame[prefix=0 bytes, body=12 bytes]");
        frame.release();
        channel.finishAndReleaseAll();
        assertThat(received.refCnt()).isZero();
    }

    /**
     * The public UnionPay qPBOC purchase packet (Morefun Android POS SDK sample app,
     * TransTestFragment) as decoded in /work/shared/cup-pos.md section 12, copied into the test
     * resources: a 2-byte length 017F, TPDU 6000040000, header 612100311000, then the 0200.
     */
    static byte[] unionPaySample() throws IOException {
        try (InputStream in = Objects.requireNonNull(
                LengthPrefixedFrameDecoderTest.class.getResourceAsStream("cup-pos-qpboc-purchase.hex"))) {
            return ByteBufUtil.decodeHexDump(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip());
        }
    }

    private static Framing plain(LengthHeader header) {
        return new Framing(header, FramingOptions.plain());
    }
}
