package io.isoswitch.settlement.journal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Applies one drained batch inside the writer's transaction. New rows go first: nothing else in
 * the batch can refer to them, since their ids reach callers only after commit. Outcomes and
 * transitions keep their arrival order (a timeout queued before a late answer must win), with
 * consecutive writes of one kind sent as one JDBC batch. A JDBC batch holds at most one write per
 * record, so that a write which did not apply reports the state that stopped it, not the state a
 * later write in the same batch left behind.
 */
final class BatchApplier {
    private BatchApplier() {}

    /** @param ifAbsent as {@link InsertApplier#apply}: false tries new rows as plain inserts */
    static void apply(Connection c, List<PendingWrite<?>> batch, Instant now, boolean ifAbsent) throws SQLException {
        List<InsertWrite> inserts = new ArrayList<>();
        List<PendingWrite<?>> updates = new ArrayList<>();
        for (PendingWrite<?> write : batch) {
            if (write instanceof InsertWrite insert) {
                inserts.add(insert);
            } else {
                updates.add(write);
            }
        }
        InsertApplier.apply(c, inserts, now, ifAbsent);
        int start = 0;
        while (start < updates.size()) {
            Set<UUID> records = new HashSet<>();
            records.add(target(updates.get(start)));
            int end = start + 1;
            while (end < updates.size() && updates.get(end).getClass() == updates.get(start).getClass()
                    && records.add(target(updates.get(end)))) {
                end++;
            }
            applyRun(c, updates.subList(start, end), now);
            start = end;
        }
    }

    /** The record a write is about (a new row's own id for an insert). */
    static UUID target(PendingWrite<?> write) {
        return switch (write) {
            case OutcomeWrite outcome -> outcome.id;
            case TransitionWrite transition -> transition.id;
            case InsertWrite insert -> insert.entry.id();
        };
    }

    private static void applyRun(Connection c, List<PendingWrite<?>> run, Instant now) throws SQLException {
        if (run.getFirst() instanceof OutcomeWrite) {
            List<OutcomeWrite> outcomes = new ArrayList<>(run.size());
            run.forEach(w -> outcomes.add((OutcomeWrite) w));
            OutcomeApplier.apply(c, outcomes, now);
        } else {
            List<TransitionWrite> transitions = new ArrayList<>(run.size());
            run.forEach(w -> transitions.add((TransitionWrite) w));
            TransitionApplier.apply(c, transitions, now);
        }
    }
}
