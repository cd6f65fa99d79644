package io.isoswitch.sim.issuer.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.isoswitch.codec.tlv.TlvException;
import io.isoswitch.codec.tlv.TlvReader;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ChipAnswersTest {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    /** 9F26 ARQC, 9F27 CID, 9F36 ATC, 95 TVR. */
    private static final byte[] REQUEST = HEX.parseHex("9F2608" + "1122334455667788" + "9F270180" + "9F36020041" + "95050000000000");

    @Test
    void answersAnArqcWithTag91HoldingTheSimulatedArpcAndTheResponseCode() {
        byte[] answer = new ChipAnswers().answer(REQUEST, "00");

        // ARQC 1122334455667788 XOR 3030000000000000, then ARC "00"
        assertThat(HEX.formatHex(answer)).isEqualTo("910A" + "2112334455667788" + "3030");
        assertThat(ChipAnswers.arpc(HEX.parseHex("1122334455667788"), "00")).isEqualTo(HEX.parseHex("2112334455667788"));
    }

    @Test
    void answersNothingWithoutAnArqcOrWithUnreadableChipData() {
        ChipAnswers chip = new ChipAnswers();

        assertThat(chip.answer(null, "00")).isNull();
        assertThat(chip.answer(HEX.parseHex("95050000000000" + "9F36020041"), "00")).isNull();
        assertThat(chip.answer(HEX.parseHex("9F2608112233"), "00")).isNull();
    }

    @Test
    void keepsTheLastRequestsChipDataAsItArrived() {
        ChipAnswers chip = new ChipAnswers();
        chip.received(REQUEST);
        chip.received(null);

        assertThat(chip.lastRequestIccData()).isEqualTo(REQUEST);
    }

    @Test
    void answersMalformedChipDataWhenToldTo() {
        ChipAnswers chip = new ChipAnswers();
        chip.answerMalformed(true);
        byte[] answer = chip.answer(REQUEST, "00");

        TlvReader reader = new TlvReader().wrap(Unpooled.wrappedBuffer(answer), 0, answer.length);
        assertThatThrownBy(reader::next).isInstanceOf(TlvException.class);
    }
}
