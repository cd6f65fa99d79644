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
 * Inserts new rows as one JDBC batch with {@code ON CONFLICT DO NOTHING}: a row whose
 * idempotency key is taken inserts nothing, and its caller gets the existing row instead.
 */
final class InsertApplier {
    private InsertApplier() {}

    static void apply(Connection c, List<InsertWrite> writes, Instant now) throws SQLException {
        if (writes.isEmpty()) {
            return;
        }
        int[] counts;
        try (PreparedStatement insert = c.prepareStatement(JournalRows.INSERT_IF_ABSENT)) {
            for (InsertWrite write : writes) {
                JournalRows.bindInsert(insert, write.entry);
                insert.addBatch();
            }
            counts = insert.executeBatch();
        }
        List<SafInserts.Pending> forwards = new ArrayList<>();
        List<JournalEntry> inserted = new ArrayList<>();
        for (int i = 0; i < writes.size(); i++) {
            InsertWrite write = writes.get(i);
            if (counts[i] == 1 || counts[i] == PreparedStatement.SUCCESS_NO_INFO && isOwnRow(c, write)) {
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
