package io.isoswitch.settlement.audit;

import io.isoswitch.settlement.db.BlockingSqlExecutor;
import io.isoswitch.settlement.db.JournalDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@code iso-switch audit}: the journal's requests to one issuer on one business date, compared
 * with the issuer's bookings (see {@link AuditComparison} for the rule). Matched on the switch's
 * RRN and the issuer id; reads only, on every node's records alike.
 */
public final class JournalAudit {
    private static final String LEGS = """
            SELECT switch_rrn, switch_stan, transaction_type, state, amount_minor, currency, advice_declined_code FROM journal
             WHERE issuer_id = ? AND business_date = ? AND switch_rrn IS NOT NULL ORDER BY created_at, id""";
    private static final int IN_BATCH = 200;

    private final BlockingSqlExecutor executor;

    public JournalAudit(JournalDatabase database) {
        this.executor = Objects.requireNonNull(database, "database").executor();
    }

    /**
     * Every issuer the journal of {@code date} sent requests to, with how many: an issuer whose
     * bookings the audit is not given is not audited at all, which the caller must say.
     */
    public CompletableFuture<java.util.SortedMap<String, Long>> issuers(LocalDate date) {
        Objects.requireNonNull(date, "date");
        return executor.inTransaction("audit issuers", c -> {
            java.util.SortedMap<String, Long> issuers = new java.util.TreeMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT issuer_id, COUNT(*) FROM journal"
                    + " WHERE business_date = ? AND switch_rrn IS NOT NULL AND issuer_id IS NOT NULL GROUP BY issuer_id")) {
                s.setObject(1, date);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        issuers.put(r.getString(1), r.getLong(2));
                    }
                }
            }
            return issuers;
        });
    }

    /** The differences between the journal of {@code date} and {@code entries}, the bookings of {@code issuerId}. */
    public CompletableFuture<List<AuditDifference>> compare(LocalDate date, String issuerId, List<ClearingEntry> entries) {
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(issuerId, "issuerId");
        return executor.inTransaction("audit", c -> {
            List<JournalLeg> legs = legs(c, date, issuerId);
            Set<String> elsewhere = journaledElsewhere(c, issuerId, AuditComparison.unknownRrns(legs, entries));
            return AuditComparison.compare(issuerId, legs, entries, elsewhere);
        });
    }

    private static List<JournalLeg> legs(Connection c, LocalDate date, String issuerId) throws SQLException {
        List<JournalLeg> legs = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(LEGS)) {
            s.setString(1, issuerId);
            s.setObject(2, date);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    legs.add(new JournalLeg(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getLong(5),
                            r.getString(6), r.getString(7)));
                }
            }
        }
        return legs;
    }

    /** Of {@code rrns}, those the journal has for this issuer on any date (a booking of another day's request). */
    private static Set<String> journaledElsewhere(Connection c, String issuerId, Set<String> rrns) throws SQLException {
        Set<String> found = new HashSet<>();
        List<String> all = new ArrayList<>(rrns);
        for (int from = 0; from < all.size(); from += IN_BATCH) {
            List<String> batch = all.subList(from, Math.min(all.size(), from + IN_BATCH));
            String sql = "SELECT switch_rrn FROM journal WHERE issuer_id = ? AND switch_rrn IN ("
                    + String.join(",", java.util.Collections.nCopies(batch.size(), "?")) + ")";
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setString(1, issuerId);
                for (int i = 0; i < batch.size(); i++) {
                    s.setString(i + 2, batch.get(i));
                }
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        found.add(r.getString(1));
                    }
                }
            }
        }
        return found;
    }
}
