package io.isoswitch.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.isoswitch.codec.spec.Dialects;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IsoMessageWriterTest {
    private final ByteBuf out = Unpooled.buffer();
    private final IsoMessageWriter writer = new IsoMessageWriter(Dialects.iso87binary());

    @AfterEach
    void release() {
        out.release();
    }

    @Test
    void writesMtiBitmapAndBcdFields() {
        writer.begin(out, "0800").field(11, 42L).field(70, "301").finish();
        assertThat(Hex.of(out)).isEqualTo("0800" + "8020000000000000" + "0400000000000000" + "000042" + "0301");
    }

    @Test
    void makesRoomForTheSecondaryBitmapWhenAFieldAbove64IsSet() {
        writer.begin(out, 200).field(2, "4761739001010119").field(4, 100L).field(90, "0200").finish();
        IsoMessageView view = new IsoMessageView(Dialects.iso87binary()).wrap(out);
        assertThat(view.getString(2)).isEqualTo("4761739001010119");
        assertThat(view.amountMinor()).isEqualTo(100L);
        assertThat(view.getString(90)).isEqualTo("000000000000000000000000000000000000000200");
    }

    /** IsoMessage.encode reuses a writer per thread: a message rejected halfway must not leave it half-written. */
    @Test
    void anIsoMessageEncodesWholeAfterAnotherFailedHalfway() {
        IsoMessage bad = new IsoMessage("0200").set(2, "4761739001010119").set(3, "12A456");
        IsoMessage good = new IsoMessage("0800").set(11, "000042").set(70, "301");
        assertThatThrownBy(() -> bad.encode(Dialects.iso87binary(), out)).isInstanceOf(IsoCodecException.class);
        out.clear();
        assertThat(good.encode(Dialects.iso87binary(), out)).isEqualTo(out.readableBytes());
        assertThat(Hex.of(out)).isEqualTo("0800" + "8020000000000000" + "0400000000000000" + "000042" + "0301");
        ByteBuf other = Unpooled.buffer();
        try {
            good.encode(Dialects.iso87ascii(), other); // another spec on the same thread: its own writer
            assertThat(IsoMessage.decode(Dialects.iso87ascii(), other)).isEqualTo(good);
        } finally {
            other.release();
        }
    }

    @Test
    void rejectsLengthBeyondSpec() {
        writer.begin(out, 200);
        assertThatThrownBy(() -> writer.field(2, "47617390010101191234"))
                .isInstanceOf(IsoCodecException.class)
                .hasMessageContaining("field 2").hasMessageContaining("at most 19").hasMessageContaining("found 20")
                .hasMessageNotContaining("4761739001");
    }

    @Test
    void rejectsNonDigitsInANumericField() {
        writer.begin(out, 200);
        assertThatThrownBy(() -> writer.field(4, "12A4"))
                .isInstanceOf(IsoCodecException.class).hasMessageContaining("field 4").hasMessageContaining("digits")
                .hasMessageContaining("position 2");
    }

    @Test
    void rejectsABinaryValueOfTheWrongSize() {
        writer.begin(out, 200);
        assertThatThrownBy(() -> writer.bytes(52, new byte[7]))
                .isInstanceOf(IsoCodecException.class).hasMessageContaining("field 52").hasMessageContaining("exactly 8 bytes");
    }

    @Test
    void rejectsFieldsOutOfOrder() {
        writer.begin(out, 200).field(11, 1L);
        assertThatThrownBy(() -> writer.field(4, 1L)).isInstanceOf(IsoCodecException.class)
                .hasMessageContaining("field 4").hasMessageContaining("ascending");
    }

    @Test
    void rejectsAFieldTheDialectDoesNotDefine() {
        IsoMessageWriter cup = new IsoMessageWriter(Dialects.cupPos()).begin(out, 200);
        assertThatThrownBy(() -> cup.field(5, 1L)).isInstanceOf(IsoCodecException.class)
                .hasMessageContaining("field 5").hasMessageContaining("not defined in cup-pos");
    }

    @Test
    void rejectsAnAmountWithoutItsSign() {
        writer.begin(out, 200);
        assertThatThrownBy(() -> writer.field(28, "00000123")).isInstanceOf(IsoCodecException.class)
                .hasMessageContaining("field 28").hasMessageContaining("'C' or 'D'");
    }

    @Test
    void writesAHexBitmapForTheAsciiDialect() {
        new IsoMessageWriter(Dialects.iso87ascii()).begin(out, "0800").field(11, "000001").finish();
        assertThat(out.toString(java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("08000020000000000000000001");
    }
}
