package io.isoswitch.sim.terminal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.isoswitch.sim.card.CardAccount;
import io.isoswitch.sim.card.CardStatus;
import io.isoswitch.sim.card.IssuedCard;
import io.isoswitch.sim.card.PinVerificationData;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScriptRunnerTest {
    final PosTerminalTest kit = new PosTerminalTest();
    final IssuedCard card = new IssuedCard(new CardAccount("ACC1", PosTerminalTest.CARD.pan(),
            PosTerminalTest.CARD.expiry(), "201", PinVerificationData.pvv(1, "0000"), "123", 0, 978, CardStatus.ACTIVE),
            PosTerminalTest.CARD.pin());

    @Test
    void playsAScriptAndPrintsEachStepWithTheCardMasked() {
        TransactionScript script = TransactionScript.read(new StringReader("""
                steps:
                  - {op: sign-on, expect: "00"}
                  - {op: purchase, label: p1, card: "#1", amount: 1250, expect: "00"}
                  - {op: void, of: p1, expect: "00"}
                  - {op: purchase, card: "#1", amount: 51, expect: "51"}
                  - {op: purchase, card: "#1", amount: 10, pin: "0000", expect: "00"}
                  - {op: pre-auth, label: a1, card: "#1", amount: 800}
                  - {op: completion, label: c1, of: a1, amount: 900}
                  - {op: reversal, of: c1}
                  - {op: balance, card: "4761739001010010"}
                  - op: settle
                  - op: sign-off
                """));
        List<String> lines = new ArrayList<>();
        try (ScriptedSwitch peer = kit.scriptedSwitch(TerminalDialect.ISO87_BINARY);
                PosTerminal terminal = kit.terminal(TerminalDialect.ISO87_BINARY, peer, Duration.ofSeconds(10))) {
            peer.codeByAmount.put(51L, "51");

            List<ScriptRunner.StepOutcome> outcomes = new ScriptRunner(terminal, List.of(card)).run(script, lines::add);

            assertThat(outcomes).hasSize(11);
            assertThat(outcomes.subList(0, 4)).allSatisfy(o -> assertThat(o.asExpected()).isTrue());
            assertThat(outcomes.get(4).asExpected()).isFalse(); // the scripted switch knows PIN 1234, not 0000
            assertThat(outcomes.get(4).line()).endsWith("EXPECTED 00");
            assertThat(outcomes.get(7).responseCode()).isEqualTo("00");
            assertThat(lines).hasSize(11).noneMatch(l -> l.contains(PosTerminalTest.CARD.pan()));
            assertThat(lines.get(1)).contains("purchase").contains("476173******0010").contains("rc=00");
            assertThat(lines.get(9)).startsWith("settle");
        }
    }

    @Test
    void aRefundStepNamingItsPurchaseCarriesThePurchasesRrnAndCard() {
        // without it a script could only send refunds without an original, which a switch on its
        // defaults (transactions.refundsWithoutOriginal: false) answers 25
        TransactionScript script = TransactionScript.read(new StringReader("""
                steps:
                  - op: sign-on
                  - {op: purchase, label: p1, card: "#1", amount: 1250, expect: "00"}
                  - {op: refund, of: p1, amount: 250, expect: "00"}
                """));
        try (ScriptedSwitch peer = kit.scriptedSwitch(TerminalDialect.ISO87_BINARY);
                PosTerminal terminal = kit.terminal(TerminalDialect.ISO87_BINARY, peer, Duration.ofSeconds(10))) {

            List<ScriptRunner.StepOutcome> outcomes = new ScriptRunner(terminal, List.of(card)).run(script, l -> { });

            assertThat(outcomes).allSatisfy(o -> assertThat(o.asExpected()).isTrue());
            assertThat(peer.received).hasSize(3);
            var purchase = peer.received.get(1);
            var refund = peer.received.get(2);
            assertThat(refund.getString(3)).startsWith("20");
            assertThat(refund.getString(2)).isEqualTo(PosTerminalTest.CARD.pan());
            assertThat(refund.getString(37)).isEqualTo("633010" + purchase.getString(11));
        }
    }

    @Test
    void aRefundStepNamesACardOrAnEarlierPurchaseNotBoth() {
        assertThatThrownBy(() -> TransactionScript.read(new StringReader(
                "steps: [{op: refund, of: p9, amount: 5}]"))).hasMessageContaining("of: expected the label of an earlier step");
        assertThatThrownBy(() -> TransactionScript.read(new StringReader("""
                steps:
                  - {op: purchase, label: p1, card: "#1", amount: 10}
                  - {op: refund, of: p1, card: "#1", amount: 5}
                """))).hasMessageContaining("card: a refund of an earlier step takes its card");
    }
}
