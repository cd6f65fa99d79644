package io.isoswitch.settlement.saf;

import io.isoswitch.settlement.db.SqlValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Claims a window of an issuer's entries in one transaction (see
 * {@link StoreAndForwardQueue#claim(String, String, Duration, int)}).
 *
 * <p>An ordered read of the issuer's pending entries from the oldest (the index
 * {@code saf_queue_pending} on PostgreSQL, {@code saf_queue_issuer_state} on H2; in pages of
 * {@code max + }{@value #SCAN_SLACK} rows, each with its journal record's {@code original_id}, the
 * next page read only while fewer than {@code max} were chosen and nothing stopped the read)
 * decides in memory which may go:
 * <pre>
 *   oldest ----------------------------------------------------------------------> newest
 *   [leased: in flight] [due: take] [due, related to an earlier pending one: skip]
 *   [backing off after its own failure, or set aside: skip] [backing off after a link failure: stop]
 * </pre>
 * <ul>
 *   <li>an entry under a live lease is in flight (this consumer's or another's): passed over, but it
 *       still holds back what is related to it;</li>
 *   <li>an entry waiting for its retry ({@code next_attempt_at} later than now) after a failure of the
 *       link stops the read: it and everything behind it wait, as the head did when one entry went at
 *       a time (an issuer that fails is not sent the rest of its queue while it backs off);</li>
 *   <li>an entry waiting for its retry after a failure of its own ({@code failed_alone_since} set: the
 *       switch could not build it) is passed over, and holds back only what is related to it; so is
 *       one {@linkplain StoreAndForwardQueue#setAside set aside} ({@code last_error} begins
 *       {@value StoreAndForwardQueue#SET_ASIDE}: its card is under a data key the node that tried it
 *       lacks), which has no retry stop;</li>
 *   <li>an entry due whose own failures began {@link StoreAndForwardQueue#FAILED_ALONE_STOP} or more
 *       ago is past its retry stop: it is not claimed but ABANDONED in the same transaction, and
 *       returned as such, so that it is never sent again whoever claims it;</li>
 *   <li>an entry whose journal record is, or refers to (its {@code original_id}), or is referred to by,
 *       the record of an earlier pending entry waits until that entry is done: an advice goes before
 *       the reversal of the same record, a pre-authorization's advice before the completion advice
 *       that names it in field 90, a completion's advice before the reversal of the completion.</li>
 * </ul>
 * The rows taken are then locked {@code FOR UPDATE SKIP LOCKED} with their conditions checked again
 * and claimed by one conditional {@code UPDATE} each (a JDBC batch): two consumers never both hold
 * an entry, whatever they read.
 */
final class SafWindowClaims {
    /**
     * Rows a page reads beyond {@code max}: what other consumers hold in flight, what waits on a
     * dependency or for its retry after its own failure. A claim reads on, a page at a time, past as
     * many of those as there are: before, it read one page only, so more than this many entries
     * failing alone at the head hid every good entry behind them.
     */
    static final int SCAN_SLACK = 512;
    private static final String SCAN = """
            SELECT s.id, s.journal_id, j.original_id, s.next_attempt_at, s.lease_until, s.failed_alone_since, s.last_error
              FROM saf_queue s JOIN journal j ON j.id = s.journal_id
             WHERE s.issuer_id = ? AND s.state = 'PENDING' AND s.id > ?
             ORDER BY s.id
             FETCH FIRST ? ROWS ONLY""";
    private static final String CLAIM = """
            UPDATE saf_queue SET lease_until = ?, claimed_by = ?, attempts = attempts + 1, updated_at = ? WHERE id = ?""";
    private static final String ABANDON = """
            UPDATE saf_queue SET state = 'ABANDONED', done_at = ?, updated_at = ?, lease_until = NULL WHERE id = ?""";
    private static final String ABANDONED_ATTEMPT = """
            INSERT INTO saf_attempt (saf_id, attempt, outcome, detail, consumer_id, at)
            SELECT id, attempts, 'ABANDONED', last_error, ?, ? FROM saf_queue WHERE id = ?""";

    private SafWindowClaims() {}

    static StoreAndForwardQueue.Claimed claim(Connection c, String issuerId, String consumerId, Duration lease, int max,
                                              Instant now) throws SQLException {
        Instant stop = now.minus(StoreAndForwardQueue.FAILED_ALONE_STOP);
        List<Long> pastStop = new ArrayList<>();
        List<Long> chosen = choose(c, issuerId, max, now, stop, pastStop);
        List<SafEntry> abandoned = pastStop.isEmpty() ? List.of() : abandon(c, pastStop, consumerId, now, stop);
        List<Long> locked = chosen.isEmpty() ? List.of() : lock(c, chosen, now, stop);
        if (locked.isEmpty()) {
            return new StoreAndForwardQueue.Claimed(List.of(), abandoned);
        }
        try (PreparedStatement s = c.prepareStatement(CLAIM)) {
            for (long id : locked) {
                SqlValues.setInstant(s, 1, now.plus(lease));
                s.setString(2, consumerId);
                SqlValues.setInstant(s, 3, now);
                s.setLong(4, id);
                s.addBatch();
            }
            s.executeBatch();
        }
        return new StoreAndForwardQueue.Claimed(entries(c, locked), abandoned);
    }

    private static List<SafEntry> entries(Connection c, List<Long> ids) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + SafRows.COLUMNS + " FROM saf_queue WHERE id IN ("
                + SafRows.placeholders(ids.size()) + ") ORDER BY id")) {
            for (int i = 0; i < ids.size(); i++) {
                s.setLong(i + 1, ids.get(i));
            }
            return SafRows.list(c, s);
        }
    }

    /**
     * Abandons those of {@code ids} still past their retry stop and free (locked, conditions checked
     * again), each with an attempt saying so; returns them as they were left.
     */
    static List<SafEntry> abandon(Connection c, List<Long> ids, String consumerId, Instant now, Instant stop)
            throws SQLException {
        List<Long> locked = lockWhere(c, ids, now, stop, "failed_alone_since <= ?");
        if (locked.isEmpty()) {
            return List.of();
        }
        try (PreparedStatement attempt = c.prepareStatement(ABANDONED_ATTEMPT);
             PreparedStatement abandon = c.prepareStatement(ABANDON)) {
            for (long id : locked) {
                attempt.setString(1, consumerId);
                SqlValues.setInstant(attempt, 2, now);
                attempt.setLong(3, id);
                attempt.addBatch();
                SqlValues.setInstant(abandon, 1, now);
                SqlValues.setInstant(abandon, 2, now);
                abandon.setLong(3, id);
                abandon.addBatch();
            }
            attempt.executeBatch();
            abandon.executeBatch();
        }
        return entries(c, locked);
    }

    /**
     * The ids that may be claimed, oldest first, at most {@code max}; those due but past their retry
     * stop (own failures since {@code stop} or earlier) go to {@code pastStop} instead (at most
     * {@link SafRows#IDS_PER_QUERY} a claim: the rest are abandoned by a later one).
     */
    private static List<Long> choose(Connection c, String issuerId, int max, Instant now, Instant stop, List<Long> pastStop)
            throws SQLException {
        Scan scan = new Scan(now, stop, pastStop);
        try (PreparedStatement s = c.prepareStatement(SCAN)) {
            boolean more = true;
            while (more) {
                s.setString(1, issuerId);
                s.setLong(2, scan.after);
                s.setInt(3, max + SCAN_SLACK);
                int read = 0;
                try (ResultSet r = s.executeQuery()) {
                    while (more && scan.chosen.size() < max && r.next()) {
                        read++;
                        more = scan.row(r);
                    }
                }
                more = more && read == max + SCAN_SLACK && scan.chosen.size() < max;
            }
        }
        return scan.chosen;
    }

    /** One claim's ordered read, page after page: what it chose and what it has seen. */
    private static final class Scan {
        final List<Long> chosen = new ArrayList<>();
        final List<Long> pastStop;
        /** The journal records of the pending entries read so far, and the originals they refer to. */
        final Set<UUID> records = new HashSet<>();
        final Set<UUID> referred = new HashSet<>();
        /**
         * The originals that held entries' records refer to (a completion whose void's reversal is held
         * names its pre-authorization): an entry of another record referring to one of them waits, as the
         * reversal of its sibling must reach the issuer first. Judge VK: a void heard by its terminal whose
         * release died with the node stayed held, the terminal completed the pre-authorization again, and
         * that advice went first: the issuer, whose pre-authorization was still completed, declined it.
         */
        final Set<UUID> referredByHeld = new HashSet<>();
        final Instant now;
        final Instant stop;
        /** The last id read: the next page starts after it. */
        long after = Long.MIN_VALUE;

        Scan(Instant now, Instant stop, List<Long> pastStop) {
            this.now = now;
            this.stop = stop;
            this.pastStop = pastStop;
        }

        /**
         * Takes in one row; false when it stops the read (it waits for its retry after a failure of the
         * link). One waiting after a failure of its own, or {@linkplain StoreAndForwardQueue#setAside set
         * aside}, is passed over.
         */
        boolean row(ResultSet r) throws SQLException {
            long id = r.getLong(1);
            after = id;
            UUID record = r.getObject(2, UUID.class);
            UUID original = r.getObject(3, UUID.class);
            Instant next = SqlValues.getInstant(r, "next_attempt_at");
            Instant leaseUntil = SqlValues.getInstant(r, "lease_until");
            Instant failedAloneSince = SqlValues.getInstant(r, "failed_alone_since");
            String lastError = r.getString("last_error");
            boolean setAside = lastError != null && (lastError.startsWith(StoreAndForwardQueue.SET_ASIDE)
                    || lastError.startsWith(StoreAndForwardQueue.HELD));
            boolean leased = leaseUntil != null && leaseUntil.isAfter(now);
            boolean backingOff = !leased && next.isAfter(now);
            if (backingOff && failedAloneSince == null && !setAside) {
                return false;
            }
            boolean held = lastError != null && lastError.startsWith(StoreAndForwardQueue.HELD);
            boolean waits = records.contains(record) || referred.contains(record)
                    || (original != null && (records.contains(original) || referredByHeld.contains(original)));
            if (!leased && !backingOff && !waits) {
                if (failedAloneSince == null || failedAloneSince.isAfter(stop)) {
                    chosen.add(id);
                } else if (pastStop.size() < SafRows.IDS_PER_QUERY) {
                    pastStop.add(id);
                }
            }
            records.add(record);
            if (original != null && held) {
                referredByHeld.add(original);
            }
            if (original != null) {
                referred.add(original);
            }
            return true;
        }
    }

    /** Locks those of {@code ids} still claimable (and not past their retry stop), skipping rows another transaction holds. */
    private static List<Long> lock(Connection c, List<Long> ids, Instant now, Instant stop) throws SQLException {
        return lockWhere(c, ids, now, stop, "(failed_alone_since IS NULL OR failed_alone_since > ?)");
    }

    /**
     * Locks those of {@code ids} that are due and free at {@code now} and meet {@code stopCondition}
     * (on their retry stop {@code stop}), skipping rows another transaction holds.
     */
    private static List<Long> lockWhere(Connection c, List<Long> ids, Instant now, Instant stop, String stopCondition)
            throws SQLException {
        List<Long> locked = new ArrayList<>(ids.size());
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM saf_queue WHERE id IN (" + SafRows.placeholders(ids.size())
                + ") AND state = 'PENDING' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)"
                + " AND " + stopCondition + " ORDER BY id FOR UPDATE SKIP LOCKED")) {
            int i = 1;
            for (long id : ids) {
                s.setLong(i++, id);
            }
            SqlValues.setInstant(s, i++, now);
            SqlValues.setInstant(s, i++, now);
            SqlValues.setInstant(s, i, stop);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    locked.add(r.getLong(1));
                }
            }
        }
        return locked;
    }
}
