package io.isoswitch.sim.terminal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import org.junit.jupiter.api.Test;

class TransactionScriptTest {

    @Test
    void readsAScriptWithEveryOperation() {
        String yaml = """
                steps:
                  - op: sign-on
                  - op: echo
                  - {op: purchase, label: p1, card: "#1", amount: 1250, expect: "00"}
                  - {op: void, of: p1}
                  - {op: refund, card: "4111111111111111", amount: 300, pin: none}
                  - {op: pre-auth, label: a1, card: "#2", amount: 5000, currency: 840}
                  - {op: completion, of: a1, amount: 5200}
                  - {op: balance, card: "#2", pin: "1234"}
                  - {op: reversal, of: a1}
                  - op: settle
                  - op: sign-off
                """;

        TransactionScript script = TransactionScript.read(new StringReader(yaml));

        assertThat(script.steps()).extracting(ScriptStep::op).containsExactly(TerminalOperation.SIGN_ON,
                TerminalOperation.ECHO, TerminalOperation.PURCHASE, TerminalOperation.VOID, TerminalOperation.REFUND,
                TerminalOperation.PRE_AUTH, TerminalOperation.COMPLETION, TerminalOperation.BALANCE_INQUIRY,
                TerminalOperation.REVERSAL, TerminalOperation.SETTLE, TerminalOperation.SIGN_OFF);
        assertThat(script.step("p1")).isEqualTo(ScriptStep.of(TerminalOperation.PURCHASE).withLabel("p1")
                .withCard("#1").withAmount(1250).withExpect("00"));
        assertThat(script.step("p1").cardIndex()).isEqualTo(1);
        assertThat(script.step("a1").currency()).isEqualTo(840);
        assertThat(script.steps().get(4).pin()).isEqualTo(ScriptStep.NO_PIN);
        assertThat(script.steps().get(4).toString()).doesNotContain("4111111111111111");
        assertThat(script.steps().get(7).toString()).doesNotContain("1234");
    }

    @Test
    void rejectsAStepThatActsOnALaterOrUnknownLabel() {
        assertThatThrownBy(() -> TransactionScript.read(new StringReader("""
                steps:
                  - {op: void, of: p1}
                  - {op: purchase, label: p1, card: "#1", amount: 1}
                """))).hasMessageContaining("step 1 (VOID): of: expected the label of an earlier step");
    }

    @Test
    void rejectsMissingCardsAmountsAndUnknownOperations() {
        assertThatThrownBy(() -> TransactionScript.read(new StringReader("steps: [{op: purchase, amount: 5}]")))
                .hasMessageContaining("card: missing");
        assertThatThrownBy(() -> TransactionScript.read(new StringReader("steps: [{op: refund, card: '#1'}]")))
                .hasMessageContaining("amount: expected > 0");
        assertThatThrownBy(() -> TransactionScript.read(new StringReader("steps: [{op: teleport}]")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("teleport");
        assertThatThrownBy(() -> TransactionScript.read(new StringReader("steps: [{op: echo, colour: red}]")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("colour");
    }

    @Test
    void rejectsALabelUsedTwice() {
        assertThatThrownBy(() -> new TransactionScript(java.util.List.of(
                ScriptStep.of(TerminalOperation.ECHO).withLabel("x"), ScriptStep.of(TerminalOperation.ECHO).withLabel("x"))))
                .hasMessageContaining("used twice");
    }
}
