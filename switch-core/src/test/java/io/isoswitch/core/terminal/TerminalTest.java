package io.isoswitch.core.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.core.emv.EmvDownloads;
import io.isoswitch.core.txn.TransactionType;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TerminalTest {
    @Test
    void aTerminalAllowedOnlyPurchasesStillSignsOnAndMakesItsStartUpDownloads() {
        Terminal purchasesOnly = new Terminal("TERM0001", "M1", "cup-pos", "B0096", Set.of(TransactionType.PURCHASE), true);
        assertThat(purchasesOnly.allows(TransactionType.SIGN_ON)).isTrue();
        assertThat(EmvDownloads.TYPES).allMatch(purchasesOnly::allows);
        assertThat(purchasesOnly.allows(TransactionType.REFUND)).isFalse();
    }
}
