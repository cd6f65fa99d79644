package io.isoswitch.settlement.journal;

import io.isoswitch.settlement.JournalWriteException;
import io.isoswitch.settlement.saf.SafInserts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Inserts new rows as one JDBC batch. Tried first as plain inserts: a new request's key is almost
 * never taken, and a plain insert spares PostgreSQL the speculative insertion of {@code ON
 * CONFLICT}. If a key is taken, the plain batch fails the whole transaction with {@link KeyTaken},
 * and the writer applies the batch again with {@code ON CONFLICT DO NOTHING}: a row whose
 * idempotency key is taken inserts nothing, and its caller gets the existing row instead.
 */
final class InsertApplier {
    /** PostgreSQL's and H2's SQLState for a unique key already taken. */
    private static final String UNIQUE_VIOLATION = "23505";

    private InsertApplier() {}

    /**
     * A plain insert of the batch found a key taken; the transaction is aborted and must be rolled
     * back. Applying the same writes again with {@code ifAbsent} resolves the duplicates.
     */
    static final class KeyTaken extends SQLException {
        private static final long serialVersionUID = 1L;

        KeyTaken(SQLException cause) {
            super("a new journal row's key is taken", UNIQUE_VIOLATION, cause);
        }
    }

    /**
     * @param ifAbsent insert with {@code ON CONFLICT DO NOTHING} (a taken key resolved row by row);
     *                 false: plain inserts, a taken key fails the transaction with {@link KeyTaken}
     */
    static void apply(Connection c, List<InsertWrite> writes, Instant now, boolean ifAbsent) throws SQLException {
        if (writes.isEmpty()) {
            return;
        }
        int[] counts;
        try (PreparedStatement insert = c.prepareStatement(ifAbsent ? JournalRows.INSERT_IF_ABSENT : JournalRows.INSERT)) {
            for (InsertWrite write : writes) {
                JournalRows.bindInsert(insert, write.entry);
                insert.addBatch();
            }
            counts = insert.executeBatch();
        } catch (SQLException e) {
            if (!ifAbsent && isUniqueViolation(e)) {
                throw new KeyTaken(e);
            }
            throw e;
        }
        List<SafInserts.Pending> forwards = new ArrayList<>();
        List<JournalEntry> inserted = new ArrayList<>();
        for (int i = 0; i < writes.size(); i++) {
            InsertWrite write = writes.get(i);
            // a plain batch that did not fail inserted every row
            if (counts[i] == 1 || counts[i] == PreparedStatement.SUCCESS_NO_INFO && (!ifAbsent || isOwnRow(c, write))) {
                write.succeed(new SentResult.Recorded(write.entry));
                inserted.add(write.entry);
                if (write.forward != null) {
                    forwards.add(new SafInserts.Pending(write.entry.id(), write.forward));
                }
            } else {
                resolveDuplicate(c, write);
            }
        }
        InFlight.add(c, inserted);
        SafInserts.insert(c, forwards, now);
        HeldAllowances.approved(c, inserted.stream().filter(e -> e.state() == TransactionState.STAND_IN_APPROVED)
                .map(JournalEntry::request).toList());
    }

    private static boolean isUniqueViolation(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            for (Throwable t = s; t != null; t = t.getCause()) {
                if (t instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isOwnRow(Connection c, InsertWrite write) throws SQLException {
        return JournalQueries.byId(c, write.entry.id()).isPresent();
    }

    private static void resolveDuplicate(Connection c, InsertWrite write) throws SQLException {
        Optional<JournalEntry> existing = JournalQueries.byKey(c, write.entry.key());
        if (existing.isPresent()) {
            write.succeed(new SentResult.Duplicate(existing.get()));
        } else {
            write.refuse(new JournalWriteException(write.describe() + ": conflict reported, but no row holds the key", null));
        }
    }
}
