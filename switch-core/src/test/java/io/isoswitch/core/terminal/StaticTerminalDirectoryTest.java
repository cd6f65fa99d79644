package io.isoswitch.core.terminal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.isoswitch.core.txn.TransactionType;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StaticTerminalDirectoryTest {
    private final Merchant shop = new Merchant("MERCHANT0000001", "Corner Shop", "5411", "156", null);

    @Test
    void findsTerminalsAndTheirMerchants() {
        Terminal terminal = new Terminal("TERM0001", shop.id(), "cup-pos", "B0096P0TE00E0000...", null, true);
        StaticTerminalDirectory directory = new StaticTerminalDirectory(List.of(shop), List.of(terminal));
        assertThat(directory.terminal("TERM0001")).contains(terminal);
        assertThat(directory.merchant(terminal.merchantId())).contains(shop);
        assertThat(directory.terminal("UNKNOWN1")).isEmpty();
    }

    @Test
    void refusesATerminalOfAnUnknownMerchant() {
        Terminal orphan = new Terminal("TERM0002", "NOBODY", "iso87binary", "kb", null, true);
        assertThatThrownBy(() -> new StaticTerminalDirectory(List.of(shop), List.of(orphan)))
                .hasMessageContaining("TERM0002").hasMessageContaining("NOBODY");
    }

    @Test
    void aTerminalMayAlwaysSignOnAndEchoButOnlyItsAllowedTransactions() {
        Terminal balanceOnly = new Terminal("TERM0003", shop.id(), "iso87binary", "kb", Set.of(TransactionType.BALANCE_INQUIRY), true);
        assertThat(balanceOnly.allows(TransactionType.SIGN_ON)).isTrue();
        assertThat(balanceOnly.allows(TransactionType.ECHO)).isTrue();
        assertThat(balanceOnly.allows(TransactionType.BALANCE_INQUIRY)).isTrue();
        assertThat(balanceOnly.allows(TransactionType.PURCHASE)).isFalse();
    }

    @Test
    void checksIdsAndCodesWhenBuilt() {
        assertThatThrownBy(() -> new Terminal("SHORT", shop.id(), "cup-pos", "kb", null, true)).hasMessageContaining("8 characters");
        assertThatThrownBy(() -> new Merchant("M1", "x", "54A1", "156", null)).hasMessageContaining("mcc");
        assertThatThrownBy(() -> new Merchant("M1", "x", "5411", "CNY", null)).hasMessageContaining("currency");
    }

    @Test
    void describingATerminalNeverShowsItsKey() {
        Terminal terminal = new Terminal("TERM0001", shop.id(), "cup-pos", "SECRETKEYBLOCK", null, true);
        assertThat(terminal.toString()).doesNotContain("SECRETKEYBLOCK");
    }
}
