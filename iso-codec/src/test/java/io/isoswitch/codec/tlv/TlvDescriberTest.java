package io.isoswitch.codec.tlv;

import static io.isoswitch.codec.tlv.Field55Samples.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

class TlvDescriberTest {
    private static final String PAN_HEX = "6259651270007599";

    @Test
    void masksCardDataAndUnknownTagsByDefault() {
        ByteBuf data = hex("9F270180" + "5A08" + PAN_HEX + "7009" + "5707" + "62596512700075" + "DF7F0199");
        String text = TlvDescriber.describe(data, 0, data.readableBytes());
        assertThat(text).isEqualTo("""
                9F27 Cryptogram Information Data [1] 80
                5A Application Primary Account Number (PAN) [8] ****
                70 READ RECORD Response Message Template [9]
                  57 Track 2 Equivalent Data [7] ****
                DF7F unknown [1] ****
                """);
        assertThat(text).doesNotContain("625965");
    }

    @Test
    void showsEveryValueWhenAskedUnmasked() {
        ByteBuf data = hex("5A08" + PAN_HEX);
        assertThat(TlvDescriber.describe(data, 0, data.readableBytes(), true)).contains(PAN_HEX);
    }

    @Test
    void endsWithTheErrorWhenTheDataIsMalformed() {
        ByteBuf data = hex("9F270180" + "5A08" + "625965");
        assertThat(TlvDescriber.describe(data, 0, data.readableBytes()))
                .endsWith("malformed: BER-TLV 55 -> 5A at offset 6: expected value of at most 3 bytes, found length 8\n")
                .doesNotContain("625965");
    }
}
