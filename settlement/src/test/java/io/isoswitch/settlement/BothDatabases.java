package io.isoswitch.settlement;

import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Base of test classes that run each test on H2 and on PostgreSQL: one fresh schema per class and
 * backend, dropped afterwards. Tests take a {@link Backend} from {@code @EnumSource(Backend.class)}
 * and keep to their own terminals and issuers, since they share the class's schema.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BothDatabases {
    private final Map<Backend, TestDatabase> databases = new EnumMap<>(Backend.class);

    @BeforeAll
    void openDatabases() {
        for (Backend backend : Backend.values()) {
            databases.put(backend, TestDatabase.open(backend));
        }
    }

    @AfterAll
    void dropDatabases() throws SQLException {
        for (TestDatabase database : databases.values()) {
            database.close();
        }
    }

    /** A journal on {@code backend}'s database with {@code settings}. */
    protected io.isoswitch.settlement.journal.Journal journal(Backend backend, io.isoswitch.settlement.journal.CommitListener listener,
                                                              io.isoswitch.settlement.journal.JournalSettings settings) {
        return new io.isoswitch.settlement.journal.Journal(on(backend).database(), settings, listener, java.time.Clock.systemUTC());
    }

    /** A journal on {@code backend}'s database with the default settings. */
    protected io.isoswitch.settlement.journal.Journal journal(Backend backend, io.isoswitch.settlement.journal.CommitListener listener) {
        return journal(backend, listener, io.isoswitch.settlement.journal.JournalSettings.defaults());
    }

    /** The limit counters on {@code backend}'s database, on the system clock. */
    protected io.isoswitch.settlement.limits.LimitCounters counters(Backend backend) {
        return new io.isoswitch.settlement.limits.LimitCounters(on(backend).database(), java.time.Clock.systemUTC());
    }

    protected TestDatabase on(Backend backend) {
        return databases.get(backend);
    }
}
