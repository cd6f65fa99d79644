package io.isoswitch.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.codec.spec.Dialects;
import org.junit.jupiter.api.Test;

class MessageDescriberTest {
    private final IsoMessage purchase = IsoMessage.decode(Dialects.iso87binary(), Hex.bytes(Hex.golden("purchase-0200-iso87binary.hex")));

    @Test
    void masksCardDataByDefaultInTextAndJson() {
        String text = MessageDescriber.describe(purchase, true);
        String json = MessageDescriber.toJson(purchase, true);
        for (String description : new String[] {text, json, purchase.toString()}) {
            assertThat(description).contains("476173******0119").doesNotContain("4761739001010119")
                    .doesNotContain("2812").doesNotContain(purchase.getString(52)).doesNotContain(purchase.getString(55));
        }
        assertThat(json).startsWith("{\"mti\":\"0200\",\"fields\":{\"2\":\"476173******0119\",\"3\":\"000000\"");
    }

    @Test
    void showsCardDataOnlyWhenAskedUnmasked() {
        assertThat(MessageDescriber.toJson(purchase, false)).contains("4761739001010119=2812");
    }

    @Test
    void readsItsOwnJsonBack() {
        IsoMessage back = MessageDescriber.fromJson(MessageDescriber.toJson(purchase, false));
        assertThat(back.encode(Dialects.iso87binary())).isEqualTo(purchase.encode(Dialects.iso87binary()));
    }

    /** Regression: decode (masked by default) printed every PAN of a batch upload's field 48 in the clear. */
    @Test
    void masksThePansOfABatchUploadDetail() {
        IsoMessage upload = new IsoMessage("0320");
        upload.set(11, "000031");
        upload.set(41, "TERM0001");
        upload.set(42, "MERCHANT0000001");
        // count 02, then per transaction: card flag n2, STAN n6, PAN n20 (right-aligned, zero-filled), amount n12
        upload.set(48, "02" + "00" + "713846" + "00006222021249404174" + "000000004800"
                + "00" + "713850" + "00000476173245670560" + "000000002000");
        upload.set(60, "000001201");
        for (boolean text : new boolean[] {true, false}) {
            String description = text ? MessageDescriber.describe(upload, true) : MessageDescriber.toJson(upload, true);
            assertThat(description).doesNotContain("6222021249404174").doesNotContain("2124940")
                    .doesNotContain("476173245670560").doesNotContain("3245670")
                    .contains("02" + "00" + "713846" + "0000622202******4174" + "000000004800")
                    .contains("00" + "713850" + "00000476173*****0560" + "000000002000");
        }
        assertThat(upload.toString()).doesNotContain("6222021249404174");
        assertThat(MessageDescriber.toJson(upload, false)).contains("00006222021249404174");
    }

    @Test
    void masksField48OfAnUploadThatDoesNotReadAsDetailWhole() {
        IsoMessage upload = new IsoMessage("0320");
        upload.set(48, "01" + "00" + "713846" + "00006222021249404174" + "0000000048");   // one entry cut short
        assertThat(MessageDescriber.toJson(upload, true)).doesNotContain("2124940");
        IsoMessage end = new IsoMessage("0320");
        end.set(48, "0004");
        assertThat(MessageDescriber.toJson(end, true)).contains("\"48\":\"0004\"");
    }

    /** Regression: field 34 (PAN extended) and 102/103 (UnionPay's transfer-out and transfer-in card numbers) were shown whole. */
    @Test
    void masksTheExtendedPanAndTheAccountIdentifications() {
        IsoMessage transfer = new IsoMessage("0200");
        transfer.set(34, "4761739001010119");
        transfer.set(102, "6222021249404174");
        transfer.set(103, "6222024422400738");
        for (String description : new String[] {MessageDescriber.describe(transfer, true), MessageDescriber.toJson(transfer, true),
                transfer.toString()}) {
            assertThat(description).doesNotContain("4761739001010119").doesNotContain("6222021249404174")
                    .doesNotContain("6222024422400738").contains("476173******0119").contains("622202******4174")
                    .contains("622202******0738");
        }
        assertThat(MessageDescriber.toJson(transfer, false)).contains("4761739001010119", "6222021249404174", "6222024422400738");
    }

    @Test
    void viewToStringNamesFieldsButNoContent() {
        IsoMessageView view = new IsoMessageView(Dialects.iso87binary()).wrap(Hex.buffer(Hex.golden("purchase-0200-iso87binary.hex")));
        assertThat(view.toString()).isEqualTo("IsoMessageView[iso87binary, mti=0200, fields=2,3,4,7,11,12,13,14,18,22,23,25,35,37,41,42,43,49,52,55,64]");
    }
}
