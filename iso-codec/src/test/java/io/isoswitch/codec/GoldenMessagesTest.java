package io.isoswitch.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.codec.cup.CupHeader;
import io.isoswitch.codec.cup.Tpdu;
import io.isoswitch.codec.spec.Dialects;
import io.isoswitch.codec.spec.MessageSpec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Golden frames (src/test/resources/golden, sources in its README) decode and re-encode byte for byte. */
class GoldenMessagesTest {

    @ParameterizedTest
    @CsvSource({
        "purchase-0200-iso87binary.hex, iso87binary",
        "purchase-0200-iso87ascii.hex, iso87ascii",
        "emv-purchase-0200-iso87binary.hex, iso87binary",
        "reversal-0400-iso87binary.hex, iso87binary",
        "cup-purchase-qpboc-0200.hex, cup-pos",
        "cup-sign-on-0800.hex, cup-pos",
    })
    void decodesAndReencodesByteForByte(String file, String dialect) {
        MessageSpec spec = Dialects.byName(dialect);
        String hex = Hex.golden(file);
        ByteBuf frame = Hex.buffer(hex);
        frame.skipBytes(spec.headerLength());
        IsoMessage message = IsoMessage.decode(spec, frame);
        assertThat(Hex.of(message.encode(spec))).isEqualTo(hex.substring(2 * spec.headerLength()));
    }

    @Test
    void benchPurchaseInBothJposDialectsCarriesTheSameValues() {
        IsoMessage binary = IsoMessage.decode(Dialects.iso87binary(), Hex.bytes(Hex.golden("purchase-0200-iso87binary.hex")));
        IsoMessage ascii = IsoMessage.decode(Dialects.iso87ascii(), Hex.bytes(Hex.golden("purchase-0200-iso87ascii.hex")));
        assertThat(ascii.fields()).isEqualTo(binary.fields());
        for (int field : binary.fields()) {
            assertThat(ascii.getString(field)).as("field %d", field).isEqualTo(binary.getString(field));
        }
    }

    @Test
    void readsTheWorkedUnionPayPurchasePacket() {
        ByteBuf packet = Hex.buffer(Hex.golden("cup-purchase-qpboc-0200.hex"));
        Tpdu tpdu = Tpdu.read(packet, 0);
        CupHeader header = CupHeader.read(packet, Tpdu.LENGTH);
        assertThat(tpdu).isEqualTo(new Tpdu(0x60, 0x0004, 0x0000));
        assertThat(tpdu.reply()).isEqualTo(new Tpdu(0x60, 0x0000, 0x0004));
        assertThat(header.applicationCategory()).isEqualTo(0x61);
        assertThat(header.softwareVersion()).isEqualTo(0x21);
        assertThat(header.terminalStatus()).isZero();
        assertThat(header.processingRequirement()).isZero();
        assertThat(header.toString()).isEqualTo("612100311000");
        ByteBuf written = Unpooled.buffer();
        tpdu.write(written);
        header.write(written);
        assertThat(Hex.of(written)).isEqualTo(Hex.golden("cup-purchase-qpboc-0200.hex").substring(0, 22));
        written.release();

        IsoMessageView view = new IsoMessageView(Dialects.cupPos()).wrap(packet.skipBytes(11));
        assertThat(view.mti()).isEqualTo(200);
        assertThat(view.maskedPan()).isEqualTo("625965******7599");
        assertThat(view.amountMinor()).isEqualTo(1L);
        assertThat(view.stan()).isEqualTo(11);
        assertThat(view.getString(22)).isEqualTo("072");
        assertThat(view.getString(23)).isEqualTo("001");
        assertThat(view.length(35)).isEqualTo(37);
        assertThat(view.getString(35)).startsWith("6259651270007599=2206");
        assertThat(view.terminalId().toString()).isEqualTo("01612376");
        assertThat(view.merchantId().toString()).isEqualTo("900491555410010");
        assertThat(view.currencyCode()).isEqualTo(156);
        assertThat(view.length(55)).isEqualTo(132);
        assertThat(view.subfield(60, 1).toString()).isEqualTo("22");
        assertThat(view.subfield(60, 2).toString()).isEqualTo("000001");
        assertThat(view.subfield(60, 3).toString()).isEqualTo("000");
        assertThat(view.subfield(60, 4).toString()).isEqualTo("6");
        assertThat(view.subfield(60, 6).toString()).isEqualTo("1");
        assertThat(view.subfield(60, 7).toString()).isEmpty();
        assertThat(view.getString(64)).isEqualTo("CB2693C0583D1300");
        assertThat(view.contentOffset(64) + 11 + 2).as("frame offset of the MAC in the reference").isEqualTo(377);
    }

    @Test
    void readsTheUnionPaySignOn() {
        ByteBuf packet = Hex.buffer(Hex.golden("cup-sign-on-0800.hex"));
        IsoMessageView view = new IsoMessageView(Dialects.cupPos()).wrap(packet.skipBytes(11));
        assertThat(view.mti()).isEqualTo(800);
        assertThat(view.stan()).isEqualTo(1);
        assertThat(view.subfield(60, 1).toString()).isEqualTo("00");
        assertThat(view.subfield(60, 3).toString()).isEqualTo("003");
        assertThat(view.subfield(63, 1).toString()).isEqualTo("01 ");
    }

    @Test
    void readsTheReversalsOriginalDataElements() {
        IsoMessageView view = new IsoMessageView(Dialects.iso87binary()).wrap(Hex.buffer(Hex.golden("reversal-0400-iso87binary.hex")));
        assertThat(view.mti()).isEqualTo(400);
        assertThat(view.getString(90)).isEqualTo("020012345610192138010000012345600000000000");
        assertThat(view.getString(32)).isEqualTo("123456");
    }
}
