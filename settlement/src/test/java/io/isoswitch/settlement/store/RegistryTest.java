package io.isoswitch.settlement.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.isoswitch.settlement.Backend;
import io.isoswitch.settlement.BothDatabases;
import io.isoswitch.settlement.JournalWriteException;
import java.time.Clock;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RegistryTest extends BothDatabases {
    private static final String KEY_BLOCK = "S0009600B1TX00E0000AB12CD34EF56AB12CD34EF56AB12CD34EF56";

    @ParameterizedTest
    @EnumSource(Backend.class)
    void upsertsAndFindsMerchantsAndTerminals(Backend backend) {
        MerchantRepository merchants = new MerchantRepository(on(backend).database(), Clock.systemUTC());
        TerminalRepository terminals = new TerminalRepository(on(backend).database(), Clock.systemUTC());
        Merchant merchant = new Merchant("M00000000000001", "Corner Shop", "5411", "840", "standard");
        Terminal terminal = new Terminal("T0000001", merchant.merchantId(), "iso87binary", KEY_BLOCK,
                Set.of("PURCHASE", "REFUND"), TerminalStatus.ACTIVE);

        merchants.upsert(merchant);
        terminals.upsert(terminal);

        assertThat(merchants.find(merchant.merchantId())).contains(merchant);
        assertThat(terminals.find("T0000001")).contains(terminal);
        assertThat(terminals.find("T9999999")).isEmpty();
        assertThat(terminals.findAll()).contains(terminal);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void anUpsertReplacesTheExistingRow(Backend backend) {
        MerchantRepository merchants = new MerchantRepository(on(backend).database(), Clock.systemUTC());
        TerminalRepository terminals = new TerminalRepository(on(backend).database(), Clock.systemUTC());
        merchants.upsert(new Merchant("M00000000000002", "Old Name", "5812", "840", "standard"));
        Merchant renamed = new Merchant("M00000000000002", "New Name", "5812", "978", "premium");
        merchants.upsert(renamed);
        terminals.upsert(new Terminal("T0000002", "M00000000000002", "cup-pos", KEY_BLOCK, Set.of("PURCHASE"),
                TerminalStatus.ACTIVE));
        Terminal blocked = new Terminal("T0000002", "M00000000000002", "cup-pos", KEY_BLOCK, Set.of(), TerminalStatus.BLOCKED);
        terminals.upsert(blocked);

        assertThat(merchants.find("M00000000000002")).contains(renamed);
        assertThat(terminals.find("T0000002")).contains(blocked);
        assertThat(blocked.allows("PURCHASE")).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aTerminalOfAnUnknownMerchantIsRefused(Backend backend) {
        TerminalRepository terminals = new TerminalRepository(on(backend).database(), Clock.systemUTC());
        Terminal orphan = new Terminal("T0000003", "M99999999999999", "iso87ascii", KEY_BLOCK, Set.of("PURCHASE"),
                TerminalStatus.ACTIVE);

        assertThatThrownBy(() -> terminals.upsert(orphan)).isInstanceOf(JournalWriteException.class)
                .hasMessageContaining("T0000003");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aTerminalNeverShowsItsKeyBlock(Backend backend) {
        Terminal terminal = new Terminal("T0000004", "M00000000000001", "iso87binary", KEY_BLOCK, Set.of("PURCHASE"),
                TerminalStatus.ACTIVE);
        assertThat(terminal.toString()).doesNotContain(KEY_BLOCK).doesNotContain("AB12CD34").contains("T0000004");
    }
}
