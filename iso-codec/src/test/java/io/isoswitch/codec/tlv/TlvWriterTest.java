package io.isoswitch.codec.tlv;

import static io.isoswitch.codec.tlv.Field55Samples.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TlvWriterTest {
    private ByteBuf out;
    private final TlvWriter writer = new TlvWriter();

    @BeforeEach
    void allocate() {
        out = PooledByteBufAllocator.DEFAULT.directBuffer(16);
        writer.wrap(out);
    }

    @AfterEach
    void release() {
        out.release();
    }

    @Test
    void choosesTheMinimalLengthForm() {
        assertThat(lengthHeader(0)).isEqualTo("9F1000");
        assertThat(lengthHeader(127)).isEqualTo("9F107F");
        assertThat(lengthHeader(128)).isEqualTo("9F108180");
        assertThat(lengthHeader(255)).isEqualTo("9F1081FF");
        assertThat(lengthHeader(256)).isEqualTo("9F10820100");
        assertThat(lengthHeader(65_536)).isEqualTo("9F1083010000");
        assertThat(TlvWriter.lengthFieldSize(0x0100_0000)).isEqualTo(5);
    }

    @Test
    void writesOneTwoAndThreeByteTags() {
        writer.put(0x95, new byte[5]).put(0x9F27, new byte[] {(byte) 0x80}).put(0xDF8101, new byte[0]);
        assertThat(hexOf(out)).isEqualTo("95050000000000" + "9F270180" + "DF810100");
    }

    @Test
    void writesTheReadableBytesOfABufferWithoutConsumingThem() {
        ByteBuf value = hex("AABBCC");
        value.readByte();
        writer.put(0x9F37, value);
        assertThat(hexOf(out)).isEqualTo("9F3702BBCC");
        assertThat(value.readerIndex()).isEqualTo(1);
    }

    @Test
    void patchesNestedConstructedLengths() {
        writer.begin(0x71).put(0x9F18, new byte[] {1, 2, 3, 4}).begin(0xBF0C).put(0x86, new byte[2]).end().end();
        assertThat(hexOf(out)).isEqualTo("710E" + "9F180401020304" + "BF0C04" + "86020000");
        assertThat(writer.depth()).isZero();
    }

    @Test
    void movesConstructedContentWhenItOutgrowsTheShortForm() {
        writer.put(0x9A, new byte[] {0x26, 0x11, 0x26});
        writer.begin(0x72).put(0x86, new byte[200]).end();
        String written = hexOf(out);
        assertThat(written).startsWith("9A03261126" + "7281CB" + "8681C8");
        assertThat(out.readableBytes()).isEqualTo(5 + 3 + 3 + 200);
        TlvReader reader = new TlvReader().wrap(out, 0, out.readableBytes());
        assertThat(reader.seek(0x72)).isTrue();
        assertThat(reader.valueLength()).isEqualTo(203);
    }

    @Test
    void copiesAnUnknownElementWithItsOriginalLengthFormUnchanged() {
        ByteBuf data = hex("DF7F81" + "03" + "010203");
        TlvReader reader = new TlvReader().wrap(data, 0, data.readableBytes());
        reader.next();
        writer.copy(reader);
        assertThat(hexOf(out)).isEqualTo("DF7F8103010203");
    }

    @Test
    void rejectsMalformedTagsAndUnbalancedNesting() {
        assertThatThrownBy(() -> writer.put(0x1F, new byte[0])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1F");
        assertThatThrownBy(() -> writer.put(0x9F81, new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> writer.begin(0x9F26)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("9F26 is not constructed");
        assertThatThrownBy(writer::end).isInstanceOf(IllegalStateException.class);
    }

    private String lengthHeader(int length) {
        out.clear();
        writer.wrap(out).put(0x9F10, new byte[length]);
        return hexOf(out).substring(0, 4 + 2 * TlvWriter.lengthFieldSize(length));
    }

    private static String hexOf(ByteBuf buf) {
        return ByteBufUtil.hexDump(buf).toUpperCase(Locale.ROOT);
    }
}
