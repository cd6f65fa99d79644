package io.isoswitch.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BalanceAmountsTest {
    private static final String LEDGER = "0001156C000000100000";
    private static final String AVAILABLE = "0002156C000000090000";

    @Test
    void isoTerminalsGetEveryEntry() {
        assertThat(BalanceAmounts.forTerminal(LEDGER + AVAILABLE, false)).isEqualTo(LEDGER + AVAILABLE);
    }

    @Test
    void unionPayTerminalsGetTheAvailableBalanceOrElseTheFirstEntry() {
        assertThat(BalanceAmounts.forTerminal(LEDGER + AVAILABLE, true)).isEqualTo(AVAILABLE);
        assertThat(BalanceAmounts.forTerminal(LEDGER + "0003156C000000000001", true)).isEqualTo(LEDGER);
        assertThat(BalanceAmounts.forTerminal(AVAILABLE, true)).isEqualTo(AVAILABLE);
    }
}
