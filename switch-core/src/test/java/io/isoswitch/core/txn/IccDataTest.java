package io.isoswitch.core.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.codec.IsoMessageView;
import io.isoswitch.codec.spec.Dialects;
import io.isoswitch.codec.spec.MessageSpec;
import io.isoswitch.codec.tlv.TlvException;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class IccDataTest {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    @Test
    void readsWellFormedChipDataAsItCameLongFormLengthsAndTemplatesIncluded() {
        byte[] chip = HEX.parseHex("9F2608" + "1122334455667788" + "9F108107" + "06010A03A00000"
                + "71" + "0B" + "9F1804" + "00000001" + "8602" + "8400");

        assertThat(IccData.read(view(Dialects.cupPos(), chip))).isEqualTo(chip);
        assertThat(IccData.read(view(Dialects.iso87binary(), chip))).isEqualTo(chip);
    }

    @Test
    void rejectsAnElementNestedInATemplateThatRunsPastIt() {
        // 71 holds 6 bytes; its 86 claims 9: the template itself is well formed, its child is not
        byte[] chip = HEX.parseHex("9F2608" + "1122334455667788" + "7106" + "8609" + "84000000");

        assertThatThrownBy(() -> IccData.read(view(Dialects.iso87binary(), chip)))
                .isInstanceOf(TlvException.class)
                .hasMessageContaining("55 -> 71")
                .hasMessageNotContaining("84000000");
    }

    @Test
    void rejectsAValueThatRunsPastTheField() {
        assertThatThrownBy(() -> IccData.read(view(Dialects.iso87binary(), HEX.parseHex("9F2608112233"))))
                .isInstanceOf(TlvException.class);
    }

    @Test
    void readsNothingFromAMessageWithoutFieldFiftyFiveOrAnEmptyOne() {
        assertThat(IccData.read(view(Dialects.iso87binary(), null))).isNull();
        assertThat(IccData.read(view(Dialects.iso87binary(), new byte[0]))).isNull();
    }

    @Test
    void readsNothingWhereTheDialectDeclaresFieldFiftyFiveAsText() {
        IsoMessage message = new IsoMessage("0200").set(11, "000001").set(55, "9F2701");

        assertThat(IccData.read(new IsoMessageView(Dialects.iso87ascii())
                .wrap(Unpooled.wrappedBuffer(message.encode(Dialects.iso87ascii()))))).isNull();
    }

    @Test
    void keepsOnlyTagsThatHoldNoCardDataForStorage() {
        byte[] chip = HEX.parseHex("5A08" + "4761739001010010" + "9F108107" + "06010A03A00000" + "57" + "05" + "4761739001"
                + "DF7F0101" + "7103" + "860100" + "95050000008000");

        // 5A (PAN) and 57 (track 2 equivalent) out, an unknown tag out, a template out; 9F10 as it came (long form)
        assertThat(HEX.formatHex(IccData.withoutCardData(chip))).isEqualTo("9F108107" + "06010A03A00000" + "95050000008000");
        assertThat(IccData.withoutCardData(HEX.parseHex("5A0847617390010100 10".replace(" ", "")))).isNull();
        assertThat(IccData.withoutCardData(null)).isNull();
    }

    @Test
    void keepsTheIssuersAuthenticationDataAndScriptsForARepeat() {
        byte[] issuer = HEX.parseHex("910A" + "11223344556677883030" + "8A023030" + "7207" + "9F180400000001"
                + "5A08" + "4761739001010010");

        assertThat(HEX.formatHex(IccData.issuerTags(issuer))).isEqualTo("910A" + "11223344556677883030" + "7207" + "9F180400000001");
        assertThat(IccData.issuerTags(HEX.parseHex("8A023030"))).isNull();
        assertThat(IccData.issuerTags(null)).isNull();
    }

    private static IsoMessageView view(MessageSpec spec, byte[] chip) {
        IsoMessage message = new IsoMessage("0200").set(11, "000001");
        if (chip != null) {
            message.set(55, chip);
        }
        return new IsoMessageView(spec).wrap(Unpooled.wrappedBuffer(message.encode(spec)));
    }
}
