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

    @Test
    void viewToStringNamesFieldsButNoContent() {
        IsoMessageView view = new IsoMessageView(Dialects.iso87binary()).wrap(Hex.buffer(Hex.golden("purchase-0200-iso87binary.hex")));
        assertThat(view.toString()).isEqualTo("IsoMessageView[iso87binary, mti=0200, fields=2,3,4,7,11,12,13,14,18,22,23,25,35,37,41,42,43,49,52,55,64]");
    }
}
