package io.isoswitch.settlement.saf;

import io.isoswitch.settlement.Checks;
import io.isoswitch.settlement.db.BlockingSqlExecutor;
import io.isoswitch.settlement.db.JournalDatabase;
import io.isoswitch.settlement.db.SqlValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The consumer side of store-and-forward, shared by every node. Two ways to claim an issuer's
 * entries: {@link #claimNext} the head only (the oldest undelivered entry, when it is due and
 * nobody holds a live lease on it: strictly one at a time per issuer across all nodes), and
 * {@link #claim} a window of them for a consumer that keeps several in flight (an entry goes once
 * no earlier undelivered entry concerns its journal record or the original it names, and none
 * before it waits for its retry after a failure of the link; one past its retry stop is abandoned
 * there instead, by either claim). A claim is a conditional UPDATE on rows locked with
 * {@code FOR UPDATE SKIP LOCKED}, so two consumers (threads or nodes) never both get the same
 * entry and a contending consumer does not wait on another's row locks. A consumer that dies
 * holding a lease loses it when the lease expires (or at once, {@link #releaseLeasesOf}).
 */
public final class StoreAndForwardQueue {
    private static final String HEAD = """
            SELECT s.id, s.failed_alone_since FROM saf_queue s
             WHERE s.issuer_id = ? AND s.state = 'PENDING' AND s.next_attempt_at <= ?
               AND (s.lease_until IS NULL OR s.lease_until <= ?)
               AND NOT EXISTS (SELECT 1 FROM saf_queue e
                                WHERE e.issuer_id = s.issuer_id AND e.state = 'PENDING' AND e.id < s.id)
            FOR UPDATE SKIP LOCKED""";
    private static final String CLAIM = """
            UPDATE saf_queue SET lease_until = ?, claimed_by = ?, attempts = attempts + 1, updated_at = ?
             WHERE id = ? AND state = 'PENDING' AND (lease_until IS NULL OR lease_until <= ?)""";
    private static final String BY_ID = "SELECT " + SafRows.COLUMNS + " FROM saf_queue WHERE id = ?";
    static final String PENDING = "SELECT " + SafRows.COLUMNS
            + " FROM saf_queue WHERE issuer_id = ? AND state = 'PENDING' ORDER BY id";
    private static final String DONE = """
            UPDATE saf_queue SET state = 'DONE', done_at = ?, updated_at = ?, lease_until = NULL WHERE id = ?""";
    private static final String REVERSED = """
            UPDATE journal SET state = 'REVERSED', updated_at = ?
             WHERE id = (SELECT journal_id FROM saf_queue WHERE id = ? AND kind = 'REVERSAL') AND state = 'REVERSAL_PENDING'""";
    private static final String RETRY = """
            UPDATE saf_queue SET lease_until = NULL, next_attempt_at = ?, last_error = ?, updated_at = ?, failed_alone_since = NULL
             WHERE id = ? AND state = 'PENDING' AND claimed_by = ? AND attempts = ?""";
    /** As {@link #RETRY}, but a retry stop already running (the entry's own failure at another node) runs on. */
    private static final String SET_ASIDE_RETRY = """
            UPDATE saf_queue SET lease_until = NULL, next_attempt_at = ?, last_error = ?, updated_at = ?
             WHERE id = ? AND state = 'PENDING' AND claimed_by = ? AND attempts = ?""";
    private static final String RETRY_ALONE = """
            UPDATE saf_queue SET lease_until = NULL, next_attempt_at = ?, last_error = ?, updated_at = ?,
                   failed_alone_since = COALESCE(failed_alone_since, ?)
             WHERE id = ? AND state = 'PENDING' AND claimed_by = ? AND attempts = ?""";
    static final String COUNT_ABANDONED = """
            SELECT count(*) FROM saf_queue WHERE issuer_id = ? AND state = 'ABANDONED'""";
    private static final String DUE_NOW = """
            UPDATE saf_queue SET next_attempt_at = ?, updated_at = ?
             WHERE issuer_id = ? AND state = 'PENDING' AND next_attempt_at > ?
               AND (last_error IS NULL OR last_error NOT LIKE '""" + StoreAndForwardQueue.HELD + "%')";
    private static final String RECORD_ATTEMPT = """
            INSERT INTO saf_attempt (saf_id, attempt, outcome, detail, consumer_id, at) VALUES (?, ?, ?, ?, ?, ?)""";
    private static final String ATTEMPTS = """
            SELECT saf_id, attempt, outcome, detail, consumer_id, at FROM saf_attempt WHERE saf_id = ? ORDER BY id""";
    private static final String COUNT_PENDING = """
            SELECT count(*) AS pending, min(created_at) AS oldest, sum(CASE WHEN lease_until > ? THEN 1 ELSE 0 END) AS leased
              FROM saf_queue WHERE issuer_id = ? AND state = 'PENDING'""";
    private static final String HEAD_SUMMARY = """
            SELECT id, kind, message_type, reason_code, amount_minor, currency, attempts, next_attempt_at, last_error, created_at
              FROM saf_queue WHERE issuer_id = ? AND state = 'PENDING' ORDER BY id FETCH FIRST 1 ROWS ONLY""";
    static final String ISSUERS = "SELECT DISTINCT issuer_id FROM saf_queue WHERE state = 'PENDING' ORDER BY issuer_id";
    private static final String ADVICE_DECLINED = """
            UPDATE journal SET advice_declined_code = ?, advice_declined_at = ?, updated_at = ?
             WHERE id = (SELECT journal_id FROM saf_queue WHERE id = ? AND kind = 'ADVICE')""";
    private static final String DECLINED_ADVICES = """
            SELECT id, business_date, issuer_id, terminal_id, stan, switch_rrn, masked_pan, transaction_type, amount_minor,
                   currency, advice_declined_code, advice_declined_at
              FROM journal WHERE business_date = ? AND advice_declined_code IS NOT NULL ORDER BY advice_declined_at, id""";
    private static final int MAX_ERROR_LENGTH = 200;
    /** The most entries one {@link #claim} takes. */
    public static final int MAX_CLAIM = 256;
    /**
     * The retry stop of an entry that fails on its own ({@link #retryAlone}: the switch cannot build
     * it), counted from its first such failure: past it, a claim abandons the entry instead of
     * handing it out. Long enough for an operator alerted by the retries to mend a configuration (a
     * data key) and restart; past it the entry needs a person, and sending it every 30 s only spins.
     * Failures of the link stop nothing: a reversal is repeated for as long as its issuer is down.
     */
    public static final Duration FAILED_ALONE_STOP = Duration.ofHours(1);
    /** How the {@code last_error} of an entry {@linkplain #setAside set aside} begins. */
    public static final String SET_ASIDE = "set aside: ";
    /**
     * How the {@code last_error} of an entry held at its insert ({@link SafRequest#heldFor}) begins: passed
     * over until due, as one set aside is, and not made due by {@link #dueNow} (a link coming back).
     */
    public static final String HELD = "held: ";

    private final BlockingSqlExecutor executor;
    private final Clock clock;

    public StoreAndForwardQueue(JournalDatabase database, Clock clock) {
        this.executor = database.executor();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Claims the head entry of {@code issuerId} for {@code lease}, if it is due and free. The
     * claim counts as an attempt. Empty when the issuer has nothing due or its head is claimed. A
     * head past its retry stop ({@link #FAILED_ALONE_STOP}) is not handed out: it is ABANDONED in the
     * same transaction, as {@link #claimWindow} does, and the entry behind it becomes the head.
     */
    public CompletableFuture<Optional<SafEntry>> claimNext(String issuerId, String consumerId, Duration lease) {
        Checks.identifier(issuerId, 32, "issuerId");
        Checks.identifier(consumerId, 64, "consumerId");
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("lease: expected > 0, found " + lease);
        }
        return executor.inTransaction("saf claim", c -> claim(c, issuerId, consumerId, lease));
    }

    private Optional<SafEntry> claim(Connection c, String issuerId, String consumerId, Duration lease)
            throws SQLException {
        Instant now = SqlValues.stored(clock.instant());
        Instant stop = now.minus(FAILED_ALONE_STOP);
        Long head;
        while (true) {
            head = null;
            Instant failedAloneSince = null;
            try (PreparedStatement s = c.prepareStatement(HEAD)) {
                s.setString(1, issuerId);
                SqlValues.setInstant(s, 2, now);
                SqlValues.setInstant(s, 3, now);
                try (ResultSet r = s.executeQuery()) {
                    if (r.next()) {
                        head = r.getLong(1);
                        failedAloneSince = SqlValues.getInstant(r, "failed_alone_since");
                    }
                }
            }
            if (head == null) {
                return Optional.empty();
            }
            if (failedAloneSince == null || failedAloneSince.isAfter(stop)) {
                break;
            }
            // past its retry stop: never sent again; the next head is read once it is no longer pending
            if (SafWindowClaims.abandon(c, List.of(head), consumerId, now, stop).isEmpty()) {
                return Optional.empty();
            }
        }
        try (PreparedStatement s = c.prepareStatement(CLAIM)) {
            SqlValues.setInstant(s, 1, now.plus(lease));
            s.setString(2, consumerId);
            SqlValues.setInstant(s, 3, now);
            s.setLong(4, head);
            SqlValues.setInstant(s, 5, now);
            if (s.executeUpdate() == 0) {
                return Optional.empty();
            }
        }
        try (PreparedStatement s = c.prepareStatement(BY_ID)) {
            s.setLong(1, head);
            return SafRows.list(c, s).stream().findFirst();
        }
    }

    /**
     * Claims up to {@code max} entries of {@code issuerId} for {@code lease}, oldest first, for a
     * consumer that keeps several in flight to the issuer at once. Unlike {@link #claimNext}, an entry
     * need not be the head: it is taken when it is due, nobody holds a live lease on it, no entry
     * before it is waiting for its retry after a failure of the link (such an entry holds back
     * everything behind it, as the head did; one that failed on its own, {@link #retryAlone}, holds
     * back only what is related to it), it is not past its retry stop, and no earlier undelivered entry concerns its journal record, the original that record
     * refers to, or a record referring to it (so an advice still goes before the reversal that names
     * it). Each claim counts as an attempt. Empty when nothing may go. See {@link SafWindowClaims}.
     */
    public CompletableFuture<List<SafEntry>> claim(String issuerId, String consumerId, Duration lease, int max) {
        return claimWindow(issuerId, consumerId, lease, max).thenApply(Claimed::entries);
    }

    /**
     * What {@link #claimWindow} took: {@code entries} claimed for the consumer, and {@code abandoned},
     * entries it found due but past their retry stop ({@link #FAILED_ALONE_STOP}), now ABANDONED and
     * never to be sent again (each with an attempt saying so), for the consumer to count and log.
     */
    public record Claimed(List<SafEntry> entries, List<SafEntry> abandoned) {
        public Claimed {
            entries = List.copyOf(entries);
            abandoned = List.copyOf(abandoned);
        }
    }

    /**
     * As {@link #claim}, telling also which entries the claim abandoned: the retry stop is checked
     * where an entry is claimed, so one past it is not sent again by any consumer.
     */
    public CompletableFuture<Claimed> claimWindow(String issuerId, String consumerId, Duration lease, int max) {
        Checks.identifier(issuerId, 32, "issuerId");
        Checks.identifier(consumerId, 64, "consumerId");
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("lease: expected > 0, found " + lease);
        }
        if (max < 1 || max > MAX_CLAIM) {
            throw new IllegalArgumentException("max: expected 1 to " + MAX_CLAIM + ", found " + max);
        }
        return executor.inTransaction("saf claim window",
                c -> SafWindowClaims.claim(c, issuerId, consumerId, lease, max, SqlValues.stored(clock.instant())));
    }

    /** An issuer's answer to a claimed entry, for {@link #acknowledgeAll}. */
    public record Acknowledgement(SafEntry entry, String declinedCode) {
        public Acknowledgement {
            Objects.requireNonNull(entry, "entry");
        }
    }

    /**
     * {@link #acknowledge(SafEntry, String)} for several entries in one transaction: a few statements
     * (JDBC batches) and one commit for all of them, instead of a transaction each. All or nothing:
     * when it fails, none is acknowledged. Completes with, per answer in order, true the first time
     * the entry is done, false when it was done already (or listed twice).
     */
    public CompletableFuture<List<Boolean>> acknowledgeAll(List<Acknowledgement> answers) {
        List<Acknowledgement> all = List.copyOf(answers);
        if (all.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        return executor.inTransaction("saf acknowledge batch", c -> acknowledgeAll(c, all, SqlValues.stored(clock.instant())));
    }

    private static List<Boolean> acknowledgeAll(Connection c, List<Acknowledgement> all, Instant now) throws SQLException {
        java.util.Set<Long> pending = new java.util.HashSet<>();
        List<Long> ids = all.stream().map(a -> a.entry().id()).distinct().sorted().toList();
        for (int from = 0; from < ids.size(); from += SafRows.IDS_PER_QUERY) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + SafRows.IDS_PER_QUERY));
            try (PreparedStatement s = c.prepareStatement("SELECT id FROM saf_queue WHERE id IN ("
                    + SafRows.placeholders(chunk.size()) + ") AND state = 'PENDING' ORDER BY id FOR UPDATE")) {
                for (int i = 0; i < chunk.size(); i++) {
                    s.setLong(i + 1, chunk.get(i));
                }
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        pending.add(r.getLong(1));
                    }
                }
            }
        }
        List<Boolean> first = new ArrayList<>(all.size());
        List<Acknowledgement> done = new ArrayList<>();
        for (Acknowledgement answer : all) {
            boolean isFirst = pending.remove(answer.entry().id());
            first.add(isFirst);
            if (isFirst) {
                done.add(answer);
            }
        }
        if (done.isEmpty()) {
            return first;
        }
        try (PreparedStatement attempt = c.prepareStatement(RECORD_ATTEMPT);
             PreparedStatement declined = c.prepareStatement(ADVICE_DECLINED);
             PreparedStatement finished = c.prepareStatement(DONE);
             PreparedStatement reversed = c.prepareStatement(REVERSED)) {
            boolean anyDeclined = false;
            for (Acknowledgement answer : done) {
                SafEntry claimed = answer.entry();
                String code = answer.declinedCode();
                bindAttempt(attempt, claimed, SafAttempt.Outcome.ACKNOWLEDGED, code == null ? null : "advice declined " + code, now);
                attempt.addBatch();
                if (code != null) {
                    declined.setString(1, code);
                    SqlValues.setInstant(declined, 2, now);
                    SqlValues.setInstant(declined, 3, now);
                    declined.setLong(4, claimed.id());
                    declined.addBatch();
                    anyDeclined = true;
                }
                SqlValues.setInstant(finished, 1, now);
                SqlValues.setInstant(finished, 2, now);
                finished.setLong(3, claimed.id());
                finished.addBatch();
                SqlValues.setInstant(reversed, 1, now);
                reversed.setLong(2, claimed.id());
                reversed.addBatch();
            }
            attempt.executeBatch();
            if (anyDeclined) {
                declined.executeBatch();
            }
            finished.executeBatch();
            reversed.executeBatch();
        }
        return first;
    }

    /**
     * Makes every pending entry of {@code issuerId} due now (its link came back: the backoff its
     * failed attempts earned was about a link that is no longer down). Leases are left alone.
     * Completes with the number of entries made due.
     */
    public CompletableFuture<Integer> dueNow(String issuerId) {
        Checks.identifier(issuerId, 32, "issuerId");
        return executor.inTransaction("saf due now", c -> {
            Instant now = SqlValues.stored(clock.instant());
            try (PreparedStatement s = c.prepareStatement(DUE_NOW)) {
                SqlValues.setInstant(s, 1, now);
                SqlValues.setInstant(s, 2, now);
                s.setString(3, issuerId);
                SqlValues.setInstant(s, 4, now);
                return s.executeUpdate();
            }
        });
    }

    /**
     * The issuer acknowledged {@code claimed}: the entry is done, the attempt is recorded, and for a
     * reversal the journal record moves from REVERSAL_PENDING to REVERSED, all in one transaction.
     * An acknowledgement counts whoever holds the claim now, since the message was delivered.
     * Idempotent: true the first time, false when the entry was already done.
     */
    public CompletableFuture<Boolean> acknowledge(SafEntry claimed) {
        return acknowledge(claimed, null);
    }

    /**
     * As {@link #acknowledge(SafEntry)}, for an advice the issuer answered with the decline
     * {@code declinedCode} (null: not declined). The advice is done all the same, since repeating
     * it would change nothing, but its journal record keeps the code and the time
     * ({@link #declinedAdvices}) and the attempt's detail says so, in the same transaction.
     */
    public CompletableFuture<Boolean> acknowledge(SafEntry claimed, String declinedCode) {
        return executor.inTransaction("saf acknowledge", c -> {
            Instant now = SqlValues.stored(clock.instant());
            if (!isPending(c, claimed.id())) {
                return false;
            }
            recordAttempt(c, claimed, SafAttempt.Outcome.ACKNOWLEDGED, declinedCode == null ? null : "advice declined " + declinedCode, now);
            if (declinedCode != null) {
                try (PreparedStatement declined = c.prepareStatement(ADVICE_DECLINED)) {
                    declined.setString(1, declinedCode);
                    SqlValues.setInstant(declined, 2, now);
                    SqlValues.setInstant(declined, 3, now);
                    declined.setLong(4, claimed.id());
                    declined.executeUpdate();
                }
            }
            try (PreparedStatement done = c.prepareStatement(DONE)) {
                SqlValues.setInstant(done, 1, now);
                SqlValues.setInstant(done, 2, now);
                done.setLong(3, claimed.id());
                done.executeUpdate();
            }
            try (PreparedStatement reversed = c.prepareStatement(REVERSED)) {
                SqlValues.setInstant(reversed, 1, now);
                reversed.setLong(2, claimed.id());
                reversed.executeUpdate();
            }
            return true;
        });
    }

    /**
     * Delivering {@code claimed} failed on the link (no answer, link down, 91/96): the attempt is
     * recorded and the claim released until {@code nextAttemptAt}; entries behind it wait, to keep
     * the issuer's order. False, and nothing changed, when the claim is no longer this one (its lease
     * expired and another consumer took the entry) or the entry is done.
     *
     * @param error a short reason for operators; must not contain card data
     */
    public CompletableFuture<Boolean> retryLater(SafEntry claimed, Instant nextAttemptAt, String error) {
        return retry(claimed, nextAttemptAt, error, false);
    }

    /**
     * {@code claimed} failed on its own (the switch could not build it; the link is not in question):
     * as {@link #retryLater}, but the entries behind it that concern other records go on being
     * claimed while it waits, and from its first such failure its retry stop
     * ({@link #FAILED_ALONE_STOP}) runs. A later failure of the link makes it an ordinary retry again.
     *
     * @param error a short reason for operators; must not contain card data
     */
    public CompletableFuture<Boolean> retryAlone(SafEntry claimed, Instant nextAttemptAt, String error) {
        return retry(claimed, nextAttemptAt, error, true);
    }

    /**
     * {@code claimed} cannot be sent by this consumer for a reason that is neither the link's nor
     * the entry's own fault, and that other entries do not share (its card is under a data key this
     * node does not hold, which another node may): it is set aside until {@code nextAttemptAt} on its
     * own, as {@link #retryAlone} (the entries behind it that concern other records go on being
     * claimed; any consumer may claim it when it is due), but this starts NO retry stop: it is never
     * abandoned for this. A retry stop already running from a failure of its own (at a node that
     * holds the key and could not build it) runs on: cleared here, a keyless node claiming it once an
     * hour would keep an entry no node can send from ever being abandoned and seen by operators.
     * Its {@code last_error} starts with {@value #SET_ASIDE}, which is how a claim knows it; a later
     * failure of the link or of its own makes it an ordinary or a failed-alone retry again.
     *
     * @param error a short reason for operators; must not contain card data
     */
    public CompletableFuture<Boolean> setAside(SafEntry claimed, Instant nextAttemptAt, String error) {
        return retry(claimed, nextAttemptAt, SET_ASIDE + Objects.requireNonNull(error, "error"), false, SET_ASIDE_RETRY);
    }

    private CompletableFuture<Boolean> retry(SafEntry claimed, Instant nextAttemptAt, String error, boolean alone) {
        return retry(claimed, nextAttemptAt, error, alone, alone ? RETRY_ALONE : RETRY);
    }

    private CompletableFuture<Boolean> retry(SafEntry claimed, Instant nextAttemptAt, String error, boolean alone, String sql) {
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        String reason = error == null ? null : error.substring(0, Math.min(error.length(), MAX_ERROR_LENGTH));
        return executor.inTransaction(alone ? "saf retry alone" : "saf retry later", c -> {
            Instant now = SqlValues.stored(clock.instant());
            try (PreparedStatement s = c.prepareStatement(sql)) {
                int i = 1;
                SqlValues.setInstant(s, i++, nextAttemptAt);
                SqlValues.setString(s, i++, reason);
                SqlValues.setInstant(s, i++, now);
                if (alone) {
                    SqlValues.setInstant(s, i++, now);
                }
                s.setLong(i++, claimed.id());
                s.setString(i++, claimed.claimedBy());
                s.setInt(i, claimed.attempts());
                if (s.executeUpdate() == 0) {
                    return false;
                }
            }
            recordAttempt(c, claimed, SafAttempt.Outcome.RETRY, reason, now);
            return true;
        });
    }

    /**
     * The records of {@code businessDate} whose advice the issuer declined: approved to the
     * terminal, not posted by the issuer. What an audit lists and operators settle with the issuer.
     */
    public CompletableFuture<List<DeclinedAdvice>> declinedAdvices(java.time.LocalDate businessDate) {
        return executor.inTransaction("saf declined advices", c -> {
            List<DeclinedAdvice> found = new java.util.ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(DECLINED_ADVICES)) {
                s.setObject(1, businessDate);
                try (java.sql.ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        found.add(new DeclinedAdvice(rows.getObject("id", java.util.UUID.class),
                                rows.getObject("business_date", java.time.LocalDate.class), rows.getString("issuer_id"),
                                rows.getString("terminal_id"), rows.getString("stan"), rows.getString("switch_rrn"),
                                rows.getString("masked_pan"), rows.getString("transaction_type"), rows.getLong("amount_minor"),
                                rows.getString("currency"), rows.getString("advice_declined_code"),
                                SqlValues.getInstant(rows, "advice_declined_at")));
                    }
                }
            }
            return List.copyOf(found);
        });
    }

    /**
     * Gives up every lease {@code consumerId} holds, for a consumer starting again: its previous
     * incarnation died holding them (a node killed mid-delivery), and waiting for them to expire
     * would hold each issuer's queue behind its head for a whole lease. The entries stay pending and
     * are delivered again (an issuer acknowledges a repeated reversal without moving money twice).
     * Returns how many leases were released.
     */
    public CompletableFuture<Integer> releaseLeasesOf(String consumerId) {
        Checks.identifier(consumerId, 64, "consumerId");
        return executor.inTransaction("saf release leases", c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE saf_queue SET lease_until = NULL, updated_at = ? WHERE claimed_by = ? AND state = 'PENDING' AND lease_until IS NOT NULL")) {
                SqlValues.setInstant(s, 1, SqlValues.stored(clock.instant()));
                s.setString(2, consumerId);
                return s.executeUpdate();
            }
        });
    }

    /** Undelivered entries of {@code issuerId}, in delivery order. */
    public CompletableFuture<List<SafEntry>> pending(String issuerId) {
        return executor.inTransaction("saf pending", c -> {
            try (PreparedStatement s = c.prepareStatement(PENDING)) {
                s.setString(1, issuerId);
                return SafRows.list(c, s);
            }
        });
    }

    /**
     * How many entries of {@code issuerId} wait, since when, its head, and how many were abandoned:
     * three index reads, however long the queue has grown (an issuer down for an hour queues every reversal of that hour).
     */
    public CompletableFuture<SafSummary> summary(String issuerId) {
        return executor.inTransaction("saf summary", c -> {
            int pending;
            int inFlight;
            Instant oldest;
            int abandoned;
            try (PreparedStatement s = c.prepareStatement(COUNT_PENDING)) {
                SqlValues.setInstant(s, 1, SqlValues.stored(clock.instant()));
                s.setString(2, issuerId);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    pending = r.getInt(1);
                    oldest = SqlValues.getInstant(r, "oldest");
                    inFlight = r.getInt("leased");
                }
            }
            try (PreparedStatement s = c.prepareStatement(COUNT_ABANDONED)) {
                s.setString(1, issuerId);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    abandoned = r.getInt(1);
                }
            }
            if (pending == 0) {
                return new SafSummary(issuerId, 0, 0, null, null, abandoned);
            }
            try (PreparedStatement s = c.prepareStatement(HEAD_SUMMARY)) {
                s.setString(1, issuerId);
                try (ResultSet r = s.executeQuery()) {
                    SafSummary.Head head = !r.next() ? null : new SafSummary.Head(r.getLong("id"), SafKind.valueOf(r.getString("kind")),
                            r.getString("message_type"), r.getString("reason_code"), r.getLong("amount_minor"), r.getString("currency"),
                            r.getInt("attempts"), SqlValues.getInstant(r, "next_attempt_at"), r.getString("last_error"),
                            SqlValues.getInstant(r, "created_at"));
                    return new SafSummary(issuerId, pending, inFlight, oldest, head, abandoned);
                }
            }
        });
    }

    /** Issuers with undelivered entries (a forwarder per issuer drains them). */
    public CompletableFuture<List<String>> issuersWithPending() {
        return executor.inTransaction("saf issuers", c -> {
            List<String> issuers = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(ISSUERS); ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    issuers.add(r.getString(1));
                }
            }
            return issuers;
        });
    }

    /** Every attempt made at delivering entry {@code entryId}, first first. */
    public CompletableFuture<List<SafAttempt>> attempts(long entryId) {
        return executor.inTransaction("saf attempts", c -> {
            List<SafAttempt> attempts = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(ATTEMPTS)) {
                s.setLong(1, entryId);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        attempts.add(new SafAttempt(r.getLong(1), r.getInt(2), SafAttempt.Outcome.valueOf(r.getString(3)),
                                r.getString(4), r.getString(5), SqlValues.getInstant(r, "at")));
                    }
                }
            }
            return attempts;
        });
    }

    /** Locks the entry's row and tells whether it still waits for delivery. */
    private static boolean isPending(Connection c, long entryId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT state FROM saf_queue WHERE id = ? FOR UPDATE")) {
            s.setLong(1, entryId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() && "PENDING".equals(r.getString(1));
            }
        }
    }

    private static void recordAttempt(Connection c, SafEntry claimed, SafAttempt.Outcome outcome, String detail,
                                      Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(RECORD_ATTEMPT)) {
            bindAttempt(s, claimed, outcome, detail, now);
            s.executeUpdate();
        }
    }

    private static void bindAttempt(PreparedStatement s, SafEntry claimed, SafAttempt.Outcome outcome, String detail, Instant now)
            throws SQLException {
        s.setLong(1, claimed.id());
        s.setInt(2, claimed.attempts());
        s.setString(3, outcome.name());
        SqlValues.setString(s, 4, detail);
        SqlValues.setString(s, 5, claimed.claimedBy());
        SqlValues.setInstant(s, 6, now);
    }
}
