package io.isoswitch.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.isoswitch.codec.spec.BitmapEncoding;
import io.isoswitch.codec.spec.ContentEncoding;
import io.isoswitch.codec.spec.FieldSpec;
import io.isoswitch.codec.spec.FieldType;
import io.isoswitch.codec.spec.LengthKind;
import io.isoswitch.codec.spec.MessageSpec;
import io.isoswitch.codec.spec.NibblePadding;
import io.isoswitch.codec.spec.PrefixEncoding;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The encodings, prefixes and bitmaps the jPOS dialects do not exercise, checked byte by byte. */
class FieldEncodingsTest {
    private static final MessageSpec SPEC = new MessageSpec("mixed", ContentEncoding.EBCDIC, BitmapEncoding.BINARY, 3, 0, List.of(
            FieldSpec.builder(2).type(FieldType.N).variable(LengthKind.LL, PrefixEncoding.EBCDIC, 19).encoding(ContentEncoding.EBCDIC).build(),
            FieldSpec.builder(3).type(FieldType.N).variable(LengthKind.L, PrefixEncoding.BINARY, 5).encoding(ContentEncoding.BCD)
                    .nibblePadding(NibblePadding.RIGHT_F).build(),
            FieldSpec.builder(4).type(FieldType.ANS).variable(LengthKind.LLLL, PrefixEncoding.ASCII, 2000).encoding(ContentEncoding.ASCII).build(),
            FieldSpec.builder(5).type(FieldType.B).fixed(2).encoding(ContentEncoding.HEX).build(),
            FieldSpec.builder(6).type(FieldType.AN).fixed(4).encoding(ContentEncoding.EBCDIC).build(),
            FieldSpec.builder(130).type(FieldType.N).fixed(2).encoding(ContentEncoding.BCD).build()));

    private final ByteBuf out = Unpooled.buffer();

    @AfterEach
    void release() {
        out.release();
    }

    @Test
    void writesEachEncodingAsSpecified() {
        new IsoMessageWriter(SPEC).begin(out, "0200").field(2, "123").field(3, "987").field(4, "hi")
                .bytes(5, new byte[] {(byte) 0xAB, 0x01}).field(6, "AB").finish();
        assertThat(Hex.of(out)).isEqualTo("F0F2F0F0" + "7C00000000000000"
                + "F0F3" + "F1F2F3"       // LL EBCDIC prefix, EBCDIC digits
                + "03" + "987F"           // L binary prefix, BCD with F pad nibble on the right
                + "30303032" + "6869"     // LLLL ASCII prefix
                + "41423031"              // binary as hex text
                + "C1C24040");            // EBCDIC, space padded
        IsoMessageView view = new IsoMessageView(SPEC).wrap(out);
        assertThat(view.mtiString()).isEqualTo("0200");
        assertThat(view.getString(2)).isEqualTo("123");
        assertThat(view.getString(3)).isEqualTo("987");
        assertThat(view.getString(4)).isEqualTo("hi");
        assertThat(view.getBytes(5)).containsExactly(0xAB, 0x01);
        assertThat(view.getString(6)).isEqualTo("AB  ");
    }

    @Test
    void carriesAFieldBeyond128ThroughATertiaryBitmap() {
        new IsoMessageWriter(SPEC).begin(out, "0200").field(3, "1").field(130, 42L).finish();
        assertThat(Hex.of(out)).isEqualTo("F0F2F0F0" + "A000000000000000" + "8000000000000000" + "4000000000000000"
                + "01" + "1F" + "42");
        IsoMessageView view = new IsoMessageView(SPEC).wrap(out);
        assertThat(view.getLong(130)).isEqualTo(42L);
        assertThat(view.fieldCount()).isEqualTo(2);
    }

    @Test
    void rejectsACharacterThatHasNoPlaceInTheFieldsType() {
        IsoMessageWriter writer = new IsoMessageWriter(SPEC).begin(out, "0200");
        assertThatThrownBy(() -> writer.field(6, "A-B")).isInstanceOf(IsoCodecException.class)
                .hasMessageContaining("field 6").hasMessageContaining("letters, digits or space");
    }

    @Test
    void rejectsALengthPrefixBeyondTheFieldsMaximum() {
        // iso87binary field 2 is n..19: a prefix of 20 is impossible
        ByteBuf frame = Hex.buffer("0200" + "4000000000000000" + "20" + "12345678901234567890");
        assertThatThrownBy(() -> new IsoMessageView(io.isoswitch.codec.spec.Dialects.iso87binary()).wrap(frame))
                .isInstanceOfSatisfying(IsoCodecException.class, e -> {
                    assertThat(e.fieldPath()).isEqualTo("2");
                    assertThat(e.offset()).isEqualTo(10);
                    assertThat(e.getMessage()).contains("at most 19, found 20").doesNotContain("1234567890");
                });
    }

    @Test
    void keepsMtiAndStanWhenAnEarlierFieldHoldsBadBcd() {
        // fields 4 and 11; field 4 carries the nibble A
        ByteBuf frame = Hex.buffer("0200" + "1020000000000000" + "00000000012A" + "654321");
        IsoMessageView view = new IsoMessageView(io.isoswitch.codec.spec.Dialects.iso87binary()).wrap(frame);
        assertThatThrownBy(view::amountMinor).isInstanceOf(IsoCodecException.class).hasMessageContaining("field 4");
        assertThatThrownBy(view::validate)
                .isInstanceOfSatisfying(IsoCodecException.class, e -> {
                    assertThat(e.fieldPath()).isEqualTo("4");
                    assertThat(e.mti()).isEqualTo("0200");
                    assertThat(e.stan()).isEqualTo("654321");
                    DecodeFailure failure = DecodeFailure.of(e);
                    assertThat(failure.responseMti()).contains("0210");
                    assertThat(failure.stan()).contains("654321");
                });
    }

    @Test
    void rejectsABitForAFieldTheDialectLacks() {
        ByteBuf frame = Hex.buffer("0200" + "0800000000000000");
        assertThatThrownBy(() -> new IsoMessageView(io.isoswitch.codec.spec.Dialects.cupPos()).wrap(frame))
                .isInstanceOf(IsoCodecException.class).hasMessageContaining("bit 5 is set but cup-pos does not define the field");
    }

    @Test
    void rejectsASecondaryBitmapWhereTheDialectHasNone() {
        ByteBuf frame = Hex.buffer("0200" + "8000000000000000" + "0000000000000000");
        assertThatThrownBy(() -> new IsoMessageView(io.isoswitch.codec.spec.Dialects.cupPos()).wrap(frame))
                .isInstanceOf(IsoCodecException.class).hasMessageContaining("field bitmap").hasMessageContaining("at most 1 bitmap");
    }
}
