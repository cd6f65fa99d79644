package io.isoswitch.codec.tlv;

import static io.isoswitch.codec.tlv.Field55Samples.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TlvReaderTest {
    @Test
    void readsEveryElementOfTheUnionPaySample() {
        ByteBuf data = hex(Field55Samples.UNIONPAY_QPBOC_PURCHASE);
        TlvReader reader = new TlvReader().wrap(data, 0, data.readableBytes());
        List<Integer> tags = new ArrayList<>();
        while (reader.next()) {
            tags.add(reader.tag());
        }
        assertThat(tags).containsExactly(Arrays.stream(Field55Samples.UNIONPAY_QPBOC_PURCHASE_TAGS).boxed().toArray(Integer[]::new));
        assertThat(data.readableBytes()).isEqualTo(132);
    }

    @Test
    void givesValuesAsOffsetsSlicesAndCopies() {
        ByteBuf data = hex(Field55Samples.UNIONPAY_QPBOC_PURCHASE);
        TlvReader reader = new TlvReader().wrap(data, 0, data.readableBytes());
        assertThat(reader.seek(0x9F10)).isTrue();
        assertThat(reader.valueLength()).isEqualTo(19);
        assertThat(reader.valueHex()).isEqualTo("07020103A00000010A010000000000B164707D");
        assertThat(reader.value().getByte(0)).isEqualTo((byte) 0x07);
        byte[] copy = new byte[19];
        assertThat(reader.copyValue(copy, 0)).isEqualTo(19);
        assertThat(copy[18]).isEqualTo((byte) 0x7D);
        assertThat(reader.seek(0x84)).isTrue();
        assertThat(reader.valueHex()).isEqualTo("A000000333010102");
        assertThat(reader.seek(0x9F26)).as("seek only moves forward").isFalse();
    }

    @Test
    void readsWithinARegionOfALargerBuffer() {
        ByteBuf data = hex("FFFF" + "9F2701" + "80" + "FFFF");
        TlvReader reader = new TlvReader().wrap(data, 2, 4);
        assertThat(reader.next()).isTrue();
        assertThat(reader.tag()).isEqualTo(0x9F27);
        assertThat(reader.valueOffset()).isEqualTo(5);
        assertThat(reader.next()).isFalse();
    }

    @Test
    void readsThreeByteTagsAndEveryLongLengthForm() {
        String value200 = "AB".repeat(200);
        String value300 = "CD".repeat(300);
        ByteBuf data = hex("DF810102" + "0102" + "9F1081C8" + value200 + "9F10" + "82012C" + value300);
        TlvReader reader = new TlvReader().wrap(data, 0, data.readableBytes());
        assertThat(reader.next()).isTrue();
        assertThat(reader.tag()).isEqualTo(0xDF8101);
        assertThat(reader.valueLength()).isEqualTo(2);
        assertThat(reader.next()).isTrue();
        assertThat(reader.valueLength()).isEqualTo(200);
        assertThat(reader.elementLength()).isEqualTo(2 + 2 + 200);
        assertThat(reader.next()).isTrue();
        assertThat(reader.valueLength()).isEqualTo(300);
        assertThat(reader.next()).isFalse();
    }

    @Test
    void iteratesConstructedElementsWithANestedReader() {
        ByteBuf data = hex("7108" + "8602AABB" + "9F1801" + "01" + "9F2701" + "40");
        TlvReader outer = new TlvReader().wrap(data, 0, data.readableBytes());
        TlvReader inner = new TlvReader();
        assertThat(outer.next()).isTrue();
        assertThat(outer.isConstructed()).isTrue();
        inner.wrapValueOf(outer);
        assertThat(inner.next()).isTrue();
        assertThat(inner.tag()).isEqualTo(0x86);
        assertThat(inner.next()).isTrue();
        assertThat(inner.tag()).isEqualTo(0x9F18);
        assertThat(inner.next()).isFalse();
        assertThat(outer.next()).isTrue();
        assertThat(outer.tag()).isEqualTo(0x9F27);
        assertThat(outer.isConstructed()).isFalse();
    }

    @Test
    void rejectsAValueThatRunsPastTheEndNamingTagAndOffset() {
        ByteBuf data = hex("9F2701" + "80" + "9F2608" + "0947");
        TlvReader reader = new TlvReader().wrap(data, 0, data.readableBytes());
        reader.next();
        assertThatThrownBy(reader::next)
                .isInstanceOf(TlvException.class)
                .hasMessage("BER-TLV 55 -> 9F26 at offset 7: expected value of at most 2 bytes, found length 8")
                .satisfies(e -> assertThat(((TlvException) e).tagPath()).isEqualTo("55 -> 9F26"));
    }

    @Test
    void namesTheWholePathOfANestedError() {
        ByteBuf data = hex("7006" + "5A08" + "47617300");
        TlvReader outer = new TlvReader().wrap(data, 0, data.readableBytes());
        outer.next();
        TlvReader inner = new TlvReader().wrapValueOf(outer);
        assertThatThrownBy(inner::next)
                .isInstanceOf(TlvException.class)
                .hasMessageStartingWith("BER-TLV 55 -> 70 -> 5A at offset 4")
                .hasMessageNotContaining("4761")
                .satisfies(e -> assertThat(((TlvException) e).offset()).isEqualTo(4));
    }

    @Test
    void rejectsIndefiniteAndOverlongLengthForms() {
        assertThatThrownBy(() -> readAll("9F2680" + "00"))
                .isInstanceOf(TlvException.class).hasMessageContaining("found length byte 80");
        assertThatThrownBy(() -> readAll("9F2685" + "0000000001" + "00"))
                .isInstanceOf(TlvException.class).hasMessageContaining("found length byte 85");
        assertThatThrownBy(() -> readAll("9F2682" + "01"))
                .isInstanceOf(TlvException.class).hasMessageContaining("2 length bytes");
        assertThatThrownBy(() -> readAll("9F2684" + "FFFFFFFF"))
                .isInstanceOf(TlvException.class).hasMessageContaining("found length 4294967295");
    }

    @Test
    void rejectsTruncatedAndOverlongTags() {
        assertThatThrownBy(() -> readAll("9F"))
                .isInstanceOf(TlvException.class).hasMessageContaining("expected another tag byte");
        assertThatThrownBy(() -> readAll("9F26"))
                .isInstanceOf(TlvException.class).hasMessageContaining("expected a length byte");
        assertThatThrownBy(() -> readAll("9F818181" + "01" + "00"))
                .isInstanceOf(TlvException.class).hasMessageContaining("a tag of at most 4 bytes");
    }

    @Test
    void refusesReadsBeforeTheFirstElement() {
        TlvReader reader = new TlvReader().wrap(hex("9A03200417"), 0, 5);
        assertThatThrownBy(reader::tag).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new TlvReader().wrap(hex("9A"), 0, 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void describesItselfWithoutData() {
        TlvReader reader = new TlvReader().wrap(hex("5A0847617390010100105F2A020156"), 0, 15);
        reader.next();
        assertThat(reader.toString()).isEqualTo("TlvReader[55 -> 5A at offset 10]").doesNotContain("4761");
    }

    private static void readAll(String hex) {
        ByteBuf data = hex(hex);
        TlvReader reader = new TlvReader().wrap(data, 0, data.readableBytes());
        while (reader.next()) {
            reader.tag();
        }
    }
}
