package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Throwaway proofs of review15k's findings on the terminal-facing side (read-only review: these
 * tests FAIL on the current code; each names the finding it proves).
 */
class Review15kTerminalSideTest extends EndToEndScenarios {
    @Override
    JournalBackend backend() {
        return JournalBackend.h2();
    }

    @Override
    SwitchFixture.Options options(SwitchFixture.Options defaults) {
        return defaults.withCards(20).withTerminalsPerDialect(4);
    }

    /**
     * Finding 2: a UnionPay SM4 sign-on (60.3 = 006, cup-pos.md 7.1/7.2: 60 bytes of SM4 keys) is
     * classified as a sign-on and answered 00 with 40 bytes of double-length TDES keys and 60.3 = 006
     * echoed: the terminal takes the 40 bytes for SM4 keys (or fails to parse them) and every MAC after fails.
     */
    @Test
    void anSm4SignOnIsNotAnsweredWithTdesKeysAsIfItHadBeenServed() throws IOException {
        TerminalSide terminal = fixture.connect(TerminalDialect.CUP_POS, 2);
        IsoMessage request = new IsoMessage("0800").set(11, stan()).set(41, terminal.terminalId())
                .set(42, SwitchFixture.MERCHANT).set(60, "00000001006");
        IsoMessage answer = terminal.client().exchange(request);
        boolean servedAsSm4 = "00".equals(answer.getString(39)) && answer.getBytes(62).length == 60;
        boolean refused = !"00".equals(answer.getString(39));
        assertThat(servedAsSm4 || refused)
                .as("answered %s with %s key bytes, 60 = %s", answer.getString(39),
                        answer.has(62) ? answer.getBytes(62).length : 0, answer.has(60) ? answer.getString(60) : null)
                .isTrue();
    }
}
