package io.isoswitch.settlement;

import io.isoswitch.settlement.calendar.BusinessCalendar;
import io.isoswitch.settlement.db.DatabaseConfig;
import io.isoswitch.settlement.fees.FeePlanRepository;
import io.isoswitch.settlement.db.JournalDatabase;
import io.isoswitch.settlement.journal.CommitListener;
import io.isoswitch.settlement.journal.CrashRecovery;
import io.isoswitch.settlement.journal.Journal;
import io.isoswitch.settlement.journal.JournalReader;
import io.isoswitch.settlement.journal.JournalSettings;
import io.isoswitch.settlement.limits.LimitCounters;
import io.isoswitch.settlement.saf.StoreAndForwardQueue;
import io.isoswitch.settlement.store.MerchantRepository;
import io.isoswitch.settlement.store.TerminalRepository;
import java.time.Clock;

/**
 * Everything the switch needs from settlement, opened once at start over one database: the
 * journal (group-commit writes), its reader, crash recovery, store-and-forward, limit counters and
 * the merchant and terminal registry. Closing it commits what is queued, then closes the pool.
 */
public final class Settlement implements AutoCloseable {
    private final JournalDatabase database;
    private final Journal journal;
    private final Clock clock;

    private Settlement(JournalDatabase database, Journal journal, Clock clock) {
        this.database = database;
        this.journal = journal;
        this.clock = clock;
    }

    /** Opens the database (migrating it) and starts the journal's writer. */
    public static Settlement open(DatabaseConfig config, JournalSettings settings, CommitListener listener, Clock clock) {
        JournalDatabase database = JournalDatabase.open(config);
        try {
            return new Settlement(database, new Journal(database, settings, listener, clock), clock);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    public JournalDatabase database() {
        return database;
    }

    public Journal journal() {
        return journal;
    }

    public JournalReader reader() {
        return new JournalReader(database);
    }

    public CrashRecovery recovery() {
        return new CrashRecovery(database, clock);
    }

    public io.isoswitch.settlement.journal.NodeLeases nodeLeases() {
        return new io.isoswitch.settlement.journal.NodeLeases(database, clock);
    }

    public io.isoswitch.settlement.journal.VoidReversals voidReversals() {
        return new io.isoswitch.settlement.journal.VoidReversals(database, clock);
    }

    public StoreAndForwardQueue storeAndForward() {
        return new StoreAndForwardQueue(database, clock);
    }

    public LimitCounters limits() {
        return new LimitCounters(database, clock);
    }

    public MerchantRepository merchants() {
        return new MerchantRepository(database, clock);
    }

    public io.isoswitch.settlement.stan.IssuerStanBlocks stanBlocks() {
        return new io.isoswitch.settlement.stan.IssuerStanBlocks(database, clock);
    }

    public TerminalRepository terminals() {
        return new TerminalRepository(database, clock);
    }

    public BusinessCalendar calendar() {
        return new BusinessCalendar(database, clock);
    }

    public FeePlanRepository feePlans() {
        return new FeePlanRepository(database, clock);
    }

    public io.isoswitch.settlement.batch.Batches batches() {
        return new io.isoswitch.settlement.batch.Batches(database, clock);
    }

    @Override
    public void close() {
        journal.close();
        database.close();
    }
}
