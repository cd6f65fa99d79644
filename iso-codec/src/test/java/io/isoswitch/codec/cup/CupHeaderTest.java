package io.isoswitch.codec.cup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.isoswitch.codec.IsoCodecException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class CupHeaderTest {

    @Test
    void hostAsksForASignOnAgainThroughTheProcessingRequirementNibble() {
        ByteBuf bytes = Unpooled.wrappedBuffer(new byte[] {0x60, 0x31, 0x00, 0x32, 0x00, 0x01});
        CupHeader request = CupHeader.read(bytes, 0);
        CupHeader response = request.withProcessingRequirement(3);
        ByteBuf out = Unpooled.buffer();
        try {
            response.write(out);
            assertThat(out.getByte(2)).isEqualTo((byte) 0x03);
            assertThat(CupHeader.read(out, 0)).isEqualTo(response);
            assertThat(response.toString()).isEqualTo("603103320001");
        } finally {
            out.release();
        }
    }

    @Test
    void rejectsAShortHeaderWithTheCodecsException() {
        ByteBuf bytes = Unpooled.wrappedBuffer(new byte[] {0x60, 0x31});
        assertThatThrownBy(() -> CupHeader.read(bytes, 0)).isInstanceOf(IsoCodecException.class)
                .hasMessageContaining("field header").hasMessageContaining("expected 6 bytes, found 2");
        assertThatThrownBy(() -> Tpdu.read(bytes, 0)).isInstanceOf(IsoCodecException.class)
                .hasMessageContaining("expected 5 bytes, found 2");
    }

    @Test
    void rejectsComponentsThatDoNotFitTheirBytes() {
        assertThatThrownBy(() -> new Tpdu(0x60, 0x10000, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("destination");
        assertThatThrownBy(() -> new CupHeader(0x60, 0x31, 16, 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("terminalStatus");
    }
}
