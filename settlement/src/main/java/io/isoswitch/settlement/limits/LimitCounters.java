package io.isoswitch.settlement.limits;

import io.isoswitch.settlement.db.BlockingSqlExecutor;
import io.isoswitch.settlement.db.JournalDatabase;
import io.isoswitch.settlement.db.SqlValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Check-and-increment of a transaction's counters, all or nothing, in one transaction on the
 * database's read executor. Each counter row is created if absent ({@code INSERT ... ON CONFLICT
 * DO NOTHING}, the same on H2 and PostgreSQL) and then incremented by an UPDATE whose WHERE
 * clause holds the limit: the row lock makes a concurrent increment wait and re-check, so no node
 * can pass a limit another node has just reached. Counters are locked in a fixed order.
 *
 * <p>An increment with a {@link CounterIncrement#contributor() contributor} also writes a
 * {@code limit_contribution} row (counter key + contributor) in the same transaction. If that row
 * is already there, the contributor's share is already counted (e.g. the switch died after the
 * increment and before the request was journaled, and the terminal resent it): the increment is
 * accepted without counting again and reported in {@link LimitDecision.Accepted#alreadyCounted()},
 * so that the caller does not give back a share it did not take. A release with a contributor
 * deletes the row and decrements only if it deleted one: each share is given back once.
 */
public final class LimitCounters {
    private static final String KEY = "key_kind = ? AND key_value = ? AND business_date = ? AND transaction_type = ? AND currency = ?";
    private static final String CREATE = """
            INSERT INTO limit_counter (key_kind, key_value, business_date, transaction_type, currency, txn_count,
                                       amount_minor, updated_at)
            VALUES (?, ?, ?, ?, ?, 0, 0, ?) ON CONFLICT DO NOTHING""";
    private static final String INCREMENT = "UPDATE limit_counter SET txn_count = txn_count + 1, amount_minor = amount_minor + ?,"
            + " updated_at = ? WHERE " + KEY + " AND txn_count + 1 <= ? AND amount_minor + ? <= ?";
    private static final String DECREMENT = "UPDATE limit_counter SET txn_count = txn_count - 1, amount_minor = amount_minor - ?,"
            + " updated_at = ? WHERE " + KEY + " AND txn_count >= 1 AND amount_minor >= ?";
    private static final String CONTRIBUTE = """
            INSERT INTO limit_contribution (key_kind, key_value, business_date, transaction_type, currency, contributor,
                                            amount_minor, created_at, node_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""";
    private static final String WITHDRAW = "DELETE FROM limit_contribution WHERE " + KEY + " AND contributor = ?";
    private static final String CONTRIBUTIONS_OF = "SELECT key_kind, key_value, business_date, transaction_type, currency,"
            + " amount_minor FROM limit_contribution WHERE contributor = ?";
    private static final String READ = "SELECT txn_count, amount_minor FROM limit_counter WHERE " + KEY;
    private static final String CONTRIBUTORS_TO = "SELECT contributor FROM limit_contribution WHERE " + KEY;
    /** Daily kinds only: an original's counter (what is refunded of it) is read for as long as it can be refunded. */
    private static final String DAILY_KINDS = "key_kind IN ('CARD', 'TERMINAL', 'MERCHANT', 'ISSUER')";
    private static final String PURGE_DAILY_SHARES = "DELETE FROM limit_contribution WHERE " + DAILY_KINDS + " AND business_date < ?";
    private static final String PURGE_DAILY_COUNTERS = "DELETE FROM limit_counter WHERE " + DAILY_KINDS + " AND business_date < ?";
    /** The contributor of an undo claim on an original: this prefix and the original's journal id (its counter's key value). */
    public static final String UNDO_PREFIX = "undo|";
    private static final String HOLD = "UPDATE limit_contribution SET node_id = ?, created_at = ? WHERE " + KEY + " AND contributor = ?";
    /**
     * The undo claims a node holds on originals that still stand (their journal row was never moved
     * by the void or reversal that claimed them). Only undo claims carry a node_id, and their key
     * value is their original's journal id.
     */
    private static final String HELD_ON_STANDING = """
            SELECT c.key_kind, c.key_value, c.business_date, c.transaction_type, c.currency, c.contributor, c.amount_minor
            FROM limit_contribution c JOIN journal j ON j.id = CAST(c.key_value AS UUID)
            WHERE c.node_id = ? AND c.key_kind = 'ORIGINAL' AND c.contributor = CONCAT('undo|', c.key_value)
              AND j.state IN ('APPROVED', 'STAND_IN_APPROVED')""";
    private static final String WITHDRAW_HELD = "DELETE FROM limit_contribution WHERE " + KEY + " AND contributor = ? AND node_id = ?";
    /** A journal record, locked: what its request counted under, and whether it stands. */
    private static final String RECORD = "SELECT state, terminal_id, stan, transaction_date, mti_class, pan_token, merchant_id,"
            + " business_date, transaction_type, currency, amount_minor, original_id FROM journal WHERE id = ? FOR UPDATE";
    /**
     * The share of its original (what a refund refunds of a purchase, a completion completes of a
     * pre-authorization) a request holds: under the original's counter (by its journal id), whose
     * date and currency are the original's.
     */
    private static final String SHARE_OF_ORIGINAL = "SELECT business_date, transaction_type, currency, amount_minor"
            + " FROM limit_contribution WHERE key_kind = 'ORIGINAL' AND key_value = ? AND contributor = ?";
    /** The counter type of the card's stand-in allowance (as StandIn counts it). */
    public static final String STAND_IN_TYPE = "STAND_IN";
    /** An allowance whose approval is recorded: no node holds it any more. */
    private static final String SETTLE_HELD = "UPDATE limit_contribution SET node_id = NULL WHERE " + KEY
            + " AND contributor = ? AND node_id IS NOT NULL";
    /** How many held allowances {@link #giveBackHeldAllowances} decides in one transaction. */
    static final int HELD_BATCH = 200;
    /**
     * The stand-in allowances a node holds (taken, and their approval not recorded), a batch at a
     * time in key order: after the key ({@code key_value, business_date, currency, contributor}) of
     * the last one of the batch before. Each of them is a request in flight, or of a process that
     * died.
     */
    private static final String HELD_ALLOWANCES = "SELECT key_kind, key_value, business_date, transaction_type, currency, contributor,"
            + " amount_minor FROM limit_contribution WHERE node_id = ? AND key_kind = 'CARD' AND transaction_type = '" + STAND_IN_TYPE + "'"
            + " AND (key_value, business_date, currency, contributor) > (?, ?, ?, ?)"
            + " ORDER BY key_value, business_date, currency, contributor LIMIT ?";
    private static final String STATE_BY_KEY = "SELECT state FROM journal WHERE terminal_id = ? AND stan = ? AND transaction_date = ?"
            + " AND mti_class = ? FOR UPDATE";
    /** What {@link #stateOf} says of a contributor that is no request identity (left alone). */
    private static final String NOT_AN_IDENTITY = "?";
    private static final String UNHOLD = "UPDATE limit_contribution SET node_id = NULL WHERE " + KEY + " AND contributor = ? AND node_id = ?";
    /** A share taken again by its request (a resend adopting it): its time is the adoption's, so a give-back from before leaves it. */
    private static final String TOUCH = "UPDATE limit_contribution SET created_at = ? WHERE " + KEY + " AND contributor = ?";
    private static final String WITHDRAW_UNTOUCHED = "DELETE FROM limit_contribution WHERE " + KEY + " AND contributor = ? AND created_at < ?";

    private final BlockingSqlExecutor executor;
    private final Clock clock;

    public LimitCounters(JournalDatabase database, Clock clock) {
        this.executor = database.executor();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Increments every counter of {@code increments} if all stay within their limits; otherwise none. */
    public CompletableFuture<LimitDecision> tryIncrement(List<CounterIncrement> increments) {
        return tryIncrement(increments, null);
    }

    /**
     * {@link #tryIncrement} whose shares (each with a contributor) node {@code holder} holds until
     * the journal has their request's record: a share held already (an earlier attempt of the same
     * request, whose process may have died) becomes this node's, so that the earlier holder's
     * recovery ({@link #giveBackHeldAllowances}) leaves it alone. That costs a statement only then.
     *
     * @param holder the node taking the shares, or null for shares no node holds
     */
    public CompletableFuture<LimitDecision> tryIncrement(List<CounterIncrement> increments, String holder) {
        List<CounterIncrement> ordered = new ArrayList<>(increments);
        ordered.sort((a, b) -> CounterKey.LOCK_ORDER.compare(a.key(), b.key()));
        return executor.inTransaction("limit counters increment", c -> incrementIn(c, ordered, holder));
    }

    /**
     * {@link #tryIncrement} of the shares of the request of journal record {@code id}, only while
     * that record stands (APPROVED or STAND_IN_APPROVED), its row locked as in
     * {@link #giveBackUnlessStanding}: an approval counted again (a repeat was told it stands, its
     * void was cancelled) that its terminal reversed meanwhile, the reversal's give-back done
     * first, would otherwise count for the rest of the day. Completes with whether it stood.
     */
    public CompletableFuture<Boolean> tryIncrementIfStanding(UUID id, List<CounterIncrement> increments) {
        Objects.requireNonNull(id, "id");
        List<CounterIncrement> ordered = new ArrayList<>(increments);
        ordered.sort((a, b) -> CounterKey.LOCK_ORDER.compare(a.key(), b.key()));
        return executor.inTransaction("limit counters increment if standing", c -> {
            try (PreparedStatement s = c.prepareStatement(RECORD)) {
                s.setObject(1, id);
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next() || !STANDING_STATES.contains(r.getString(1))) {
                        return false;
                    }
                }
            }
            return incrementIn(c, ordered, null) instanceof LimitDecision.Accepted;
        });
    }

    /** The states of a record whose request stands, counted. */
    private static final java.util.Set<String> STANDING_STATES = java.util.Set.of("APPROVED", "STAND_IN_APPROVED");

    /** {@link #tryIncrement} of {@code ordered} (in lock order) in the caller's transaction, rolled back if refused. */
    private LimitDecision incrementIn(Connection c, List<CounterIncrement> ordered, String holder) throws SQLException {
        Instant now = SqlValues.stored(clock.instant());
        List<CounterIncrement> alreadyCounted = new ArrayList<>();
        for (CounterIncrement increment : ordered) {
            createIfAbsent(c, increment.key(), now);
            if (increment.contributor() != null && !takeShare(c, increment, now, holder)) {
                alreadyCounted.add(increment);
                continue;
            }
            if (!increment(c, increment, now)) {
                LimitDecision refused = refusal(c, increment);
                c.rollback();
                return refused;
            }
        }
        return new LimitDecision.Accepted(alreadyCounted);
    }

    /**
     * {@link #tryIncrement} of one undo claim ({@link #UNDO_PREFIX} + the original's id) held by node
     * {@code nodeId}: the claim is the node's until its void or reversal has moved the original. A
     * claim held already (an earlier attempt, whose process may have died) becomes this node's now,
     * so that the earlier holder's recovery does not give back a claim this node is about to use.
     */
    public CompletableFuture<LimitDecision> claimUndo(CounterIncrement claim, String nodeId) {
        Objects.requireNonNull(nodeId, "nodeId");
        if (claim.contributor() == null || !claim.contributor().startsWith(UNDO_PREFIX)) {
            throw new IllegalArgumentException("claim: expected a contributor starting " + UNDO_PREFIX);
        }
        return executor.inTransaction("limit counters undo claim", c -> {
            Instant now = SqlValues.stored(clock.instant());
            createIfAbsent(c, claim.key(), now);
            boolean taken = contribute(c, claim, now, null);
            if (taken && !increment(c, claim, now)) {
                LimitDecision refused = refusal(c, claim);
                c.rollback();
                return refused;
            }
            hold(c, claim, nodeId, now);
            return new LimitDecision.Accepted(taken ? List.of() : List.of(claim));
        });
    }

    /**
     * Gives back the undo claims node {@code nodeId} holds on originals that still stand: for a node
     * whose process died (at its next start, or when another node takes it over), whose voids and
     * reversals died between their claim and their move. Left held, each would refuse every refund
     * or completion of a sale or pre-authorization that was never voided. Returns how many.
     */
    public CompletableFuture<Integer> releaseUndoClaimsOnStandingOriginals(String nodeId) {
        Objects.requireNonNull(nodeId, "nodeId");
        return executor.inTransaction("limit counters release a dead process's undo claims", c -> {
            List<CounterIncrement> held = heldBy(c, HELD_ON_STANDING, nodeId);
            Instant now = SqlValues.stored(clock.instant());
            int released = 0;
            for (CounterIncrement claim : held) {
                // only while still this node's: a resend that took it over since keeps it
                try (PreparedStatement w = c.prepareStatement(WITHDRAW_HELD)) {
                    int next = bindKey(w, 1, claim.key());
                    w.setString(next, claim.contributor());
                    w.setString(next + 1, nodeId);
                    if (w.executeUpdate() == 0) {
                        continue;
                    }
                }
                decrement(c, claim, now);
                released++;
            }
            return released;
        });
    }

    /**
     * Gives back what {@link #tryIncrement} took, e.g. when the issuer declined or the
     * transaction was reversed. A counter never goes below zero. A share with a contributor is
     * given back only if the counter still holds it (once, however often it is released).
     */
    public CompletableFuture<Void> release(List<CounterIncrement> increments) {
        List<CounterIncrement> copy = List.copyOf(increments);
        return executor.inTransaction("limit counters release", c -> {
            releaseIn(c, copy);
            return null;
        });
    }

    /** {@link #release} in the caller's transaction; returns how many shares were given back. */
    private int releaseIn(Connection c, List<CounterIncrement> increments) throws SQLException {
        List<CounterIncrement> ordered = new ArrayList<>(increments);
        ordered.sort((a, b) -> CounterKey.LOCK_ORDER.compare(a.key(), b.key()));
        Instant now = SqlValues.stored(clock.instant());
        int released = 0;
        try (PreparedStatement s = c.prepareStatement(DECREMENT)) {
            for (CounterIncrement increment : ordered) {
                if (increment.contributor() != null && !withdraw(c, increment)) {
                    continue;
                }
                s.setLong(1, increment.amountMinor());
                SqlValues.setInstant(s, 2, now);
                int next = bindKey(s, 3, increment.key());
                s.setLong(next, increment.amountMinor());
                s.addBatch();
                released++;
            }
            s.executeBatch();
        }
        return released;
    }

    /**
     * Gives back every share {@code contributor} holds, under whatever counters: for a request that
     * took a share and can never be journaled now (its process died before the journal had it, and
     * its reversal took its key), so that nothing else would ever give the share back.
     */
    public CompletableFuture<Void> releaseAllOf(String contributor) {
        Objects.requireNonNull(contributor, "contributor");
        return executor.inTransaction("limit counters release all of a contributor", c -> {
            List<CounterIncrement> held = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(CONTRIBUTIONS_OF)) {
                s.setString(1, contributor);
                try (java.sql.ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        CounterKey key = new CounterKey(CounterKind.valueOf(r.getString(1)), r.getString(2),
                                r.getObject(3, LocalDate.class), r.getString(4), r.getString(5));
                        held.add(new CounterIncrement(key, r.getLong(6), CounterLimit.UNLIMITED, contributor));
                    }
                }
            }
            return held;
        }).thenCompose(held -> held.isEmpty() ? CompletableFuture.completedFuture(null) : release(held));
    }

    /**
     * What the journal says of request shares: gives back the daily shares (card, terminal,
     * merchant), the share of its original (a refund's, a completion's) and the card's stand-in
     * allowance held under the identity of journal record {@code id}'s request, unless that record
     * stands. The record's row is locked first, so a
     * transition of it (a repeat told it stands, a reversal) and this decision happen one after the
     * other, on any node; each share is given back once however often this runs ({@link #release}).
     * A record still SENT is in flight (its answer, crash recovery or the stale sweep decide); an
     * APPROVED one keeps its daily shares and its share of its original, a STAND_IN_APPROVED one its
     * allowance too.
     *
     * @param ifAbsent the shares to give back if the journal holds no record {@code id} (a write
     *                 that never committed), or none
     * @return how many shares were given back
     */
    public CompletableFuture<Integer> giveBackUnlessStanding(UUID id, List<CounterIncrement> ifAbsent) {
        Objects.requireNonNull(id, "id");
        List<CounterIncrement> absent = List.copyOf(ifAbsent);
        return executor.inTransaction("limit counters give back unless standing", c -> {
            List<CounterIncrement> shares = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(RECORD)) {
                s.setObject(1, id);
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        shares.addAll(absent);
                    } else {
                        String state = r.getString(1);
                        String contributor = contributor(r.getString(2), r.getString(3), r.getObject(4, LocalDate.class),
                                r.getString(5));
                        String pan = HexFormat.of().formatHex(r.getBytes(6));
                        LocalDate date = r.getObject(8, LocalDate.class);
                        String type = r.getString(9);
                        String currency = r.getString(10);
                        long amount = r.getLong(11);
                        if (!state.equals("SENT") && !state.equals("APPROVED") && !state.equals("STAND_IN_APPROVED")) {
                            shares.add(share(CounterKind.CARD, pan, date, type, currency, amount, contributor));
                            shares.add(share(CounterKind.TERMINAL, r.getString(2), date, type, currency, amount, contributor));
                            shares.add(share(CounterKind.MERCHANT, r.getString(7), date, type, currency, amount, contributor));
                            UUID original = r.getObject(12, UUID.class);
                            if (original != null) {
                                shares.addAll(sharesOfOriginal(c, original, contributor));
                            }
                        }
                        if (!state.equals("SENT") && !state.equals("STAND_IN_APPROVED")) {
                            shares.add(share(CounterKind.CARD, pan, date, STAND_IN_TYPE, currency, amount, contributor));
                        }
                    }
                }
            }
            return releaseIn(c, shares);
        });
    }

    /**
     * Gives back the shares of requests not approved (their terminals heard a decline or 96) that
     * could not be given back when they were answered, the database away (the release failed, or
     * the increment's own commit was in doubt and may have counted them): left so, each would count
     * against its card, terminal or merchant for the rest of the day. Per request (its shares'
     * contributor) the journal decides, the record's row locked as in {@link #giveBackUnlessStanding}:
     * no record, or one that does not stand, gives its shares back; an APPROVED one keeps its daily
     * shares and a STAND_IN_APPROVED one its allowance too (the request approved after all, by a
     * resend); one still SENT is in flight, and its shares are returned to try again later. A share
     * taken again since {@code failedAt} (a resend of the request adopted it, {@link #tryIncrement})
     * is the resend's and is left alone. Each share is given back once, however often this runs.
     *
     * @param failedAt when the give-back failed: no share is given back that was taken or adopted since
     * @return the shares left for later (their request's record still SENT)
     */
    public CompletableFuture<List<CounterIncrement>> giveBackOfRequestsNotApproved(List<CounterIncrement> shares, Instant failedAt) {
        java.util.TreeMap<String, List<CounterIncrement>> byRequest = new java.util.TreeMap<>();
        for (CounterIncrement share : shares) {
            byRequest.computeIfAbsent(Objects.requireNonNull(share.contributor(), "share.contributor"), k -> new ArrayList<>()).add(share);
        }
        Instant before = SqlValues.stored(failedAt);
        return executor.inTransaction("limit counters give back of requests not approved", c -> {
            List<CounterIncrement> later = new ArrayList<>();
            List<CounterIncrement> release = new ArrayList<>();
            for (var request : byRequest.entrySet()) {
                String state = stateOf(c, request.getKey());
                if ("SENT".equals(state)) {
                    later.addAll(request.getValue());
                } else if (!NOT_AN_IDENTITY.equals(state)) {
                    for (CounterIncrement share : request.getValue()) {
                        boolean allowance = STAND_IN_TYPE.equals(share.key().transactionType());
                        boolean stands = "STAND_IN_APPROVED".equals(state) || ("APPROVED".equals(state) && !allowance);
                        if (!stands) {
                            release.add(share);
                        }
                    }
                }
            }
            release.sort((a, b) -> CounterKey.LOCK_ORDER.compare(a.key(), b.key()));
            Instant now = SqlValues.stored(clock.instant());
            for (CounterIncrement share : release) {
                try (PreparedStatement w = c.prepareStatement(WITHDRAW_UNTOUCHED)) {
                    int next = bindKey(w, 1, share.key());
                    w.setString(next, share.contributor());
                    SqlValues.setInstant(w, next + 1, before);
                    if (w.executeUpdate() > 0) {
                        decrement(c, share, now);
                    }
                }
            }
            return later;
        });
    }

    /**
     * Gives back the stand-in allowances node {@code nodeId} holds whose request the journal holds
     * no approval in stand-in of: for a node whose process died (at its next start, or when another
     * node takes it over) between taking an allowance and recording its approval, or before it could
     * give back one it did not approve after all. Left held, each would refuse the card a stand-in
     * approval for the rest of the day. An allowance is no longer held once its approval is recorded
     * ({@link #approvedInStandIn}, in the journal's transaction), so this visits only those whose
     * request was in flight; one found standing all the same (held from before that) is no longer
     * held either, and one whose record is still SENT is left held. Each record's row is locked
     * before its allowance is decided, and an allowance another node took over since is left alone.
     * Read {@value #HELD_BATCH} at a time, each decided in a transaction of its own, so a node with a
     * long history holds no long transaction and no lock across two records. Returns how many were
     * given back.
     */
    public CompletableFuture<Integer> giveBackHeldAllowances(String nodeId) {
        return giveBackHeldAllowances(nodeId, HELD_BATCH);
    }

    /** {@link #giveBackHeldAllowances(String)}, {@code batchSize} allowances a transaction. */
    CompletableFuture<Integer> giveBackHeldAllowances(String nodeId, int batchSize) {
        Objects.requireNonNull(nodeId, "nodeId");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize: expected at least 1, found " + batchSize);
        }
        return heldAllowancesAfter(nodeId, HeldAfter.FIRST, batchSize, 0);
    }

    /** Where a walk over held allowances is: after the allowance of this key (the other key columns are fixed). */
    private record HeldAfter(String cardToken, LocalDate businessDate, String currency, String contributor) {
        /** Before every key. */
        static final HeldAfter FIRST = new HeldAfter("", LocalDate.of(1, 1, 1), "", "");

        static HeldAfter of(CounterIncrement allowance) {
            return new HeldAfter(allowance.key().value(), allowance.key().businessDate(), allowance.key().currency(),
                    allowance.contributor());
        }
    }

    private CompletableFuture<Integer> heldAllowancesAfter(String nodeId, HeldAfter after, int batchSize, int released) {
        return executor.inTransaction("limit counters read a dead process's stand-in allowances", c -> heldAfter(c, nodeId, after, batchSize))
                .thenCompose(held -> giveBackEach(nodeId, held, 0, 0).thenCompose(given -> held.size() < batchSize
                        ? CompletableFuture.completedFuture(released + given)
                        : heldAllowancesAfter(nodeId, HeldAfter.of(held.getLast()), batchSize, released + given)));
    }

    /**
     * Decides {@code held}'s allowances from {@code index} on, one transaction each, in the order a
     * give-back takes its locks (the record's journal row, the share, then the counter): a batch
     * deciding several in one transaction held a counter while it waited for the next record's row,
     * which a give-back of that record held while it waited for the counter (a deadlock).
     */
    private CompletableFuture<Integer> giveBackEach(String nodeId, List<CounterIncrement> held, int index, int given) {
        if (index == held.size()) {
            return CompletableFuture.completedFuture(given);
        }
        CounterIncrement allowance = held.get(index);
        return executor.inTransaction("limit counters give back a dead process's stand-in allowance",
                        c -> giveBackHeld(c, nodeId, allowance, SqlValues.stored(clock.instant())))
                .thenCompose(gaveBack -> giveBackEach(nodeId, held, index + 1, gaveBack ? given + 1 : given));
    }

    /** Gives back one allowance node {@code nodeId} holds unless its record is still SENT or stands; true when it did. */
    private boolean giveBackHeld(Connection c, String nodeId, CounterIncrement allowance, Instant now) throws SQLException {
        String state = stateOf(c, allowance.contributor());
        if ("SENT".equals(state) || NOT_AN_IDENTITY.equals(state)) {
            return false;
        }
        boolean stands = "STAND_IN_APPROVED".equals(state);
        try (PreparedStatement w = c.prepareStatement(stands ? UNHOLD : WITHDRAW_HELD)) {
            int next = bindKey(w, 1, allowance.key());
            w.setString(next, allowance.contributor());
            w.setString(next + 1, nodeId);
            if (w.executeUpdate() == 0 || stands) {
                return false;
            }
        }
        decrement(c, allowance, now);
        return true;
    }

    /** The next {@code limit} stand-in allowances node {@code nodeId} holds, in key order after {@code after}'s. */
    private static List<CounterIncrement> heldAfter(Connection c, String nodeId, HeldAfter after, int limit) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(HELD_ALLOWANCES)) {
            s.setString(1, nodeId);
            s.setString(2, after.cardToken());
            s.setObject(3, after.businessDate());
            s.setString(4, after.currency());
            s.setString(5, after.contributor());
            s.setInt(6, limit);
            return shares(s);
        }
    }

    /**
     * In the caller's transaction (the journal's, recording approvals in stand-in): the stand-in
     * allowances these approvals took ({@link #standInAllowance}) are no longer held by the node
     * that took them, so that {@link #giveBackHeldAllowances} never visits them again. One JDBC
     * batch, its rows locked in the counters' order; an allowance not held (or never taken) is left
     * as it is.
     */
    public static void approvedInStandIn(Connection c, List<CounterIncrement> allowances) throws SQLException {
        if (allowances.isEmpty()) {
            return;
        }
        List<CounterIncrement> ordered = new ArrayList<>(allowances);
        ordered.sort((a, b) -> CounterKey.LOCK_ORDER.compare(a.key(), b.key()));
        try (PreparedStatement s = c.prepareStatement(SETTLE_HELD)) {
            for (CounterIncrement allowance : ordered) {
                int next = bindKey(s, 1, allowance.key());
                s.setString(next, allowance.contributor());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** The stand-in allowance a request took (as StandIn takes it), for {@link #approvedInStandIn}. */
    public static CounterIncrement standInAllowance(String panTokenHex, LocalDate businessDate, String currency, long amountMinor,
                                                    String contributor) {
        return share(CounterKind.CARD, panTokenHex, businessDate, STAND_IN_TYPE, currency, amountMinor, contributor);
    }

    /** The share of {@code original}'s counters that request {@code contributor} holds, if any. */
    private static List<CounterIncrement> sharesOfOriginal(Connection c, UUID original, String contributor) throws SQLException {
        List<CounterIncrement> shares = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(SHARE_OF_ORIGINAL)) {
            s.setString(1, original.toString());
            s.setString(2, contributor);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    shares.add(share(CounterKind.ORIGINAL, original.toString(), r.getObject(1, LocalDate.class), r.getString(2),
                            r.getString(3), r.getLong(4), contributor));
                }
            }
        }
        return shares;
    }

    /** The shares (with their contributors) node {@code nodeId} holds that {@code query} selects. */
    private static List<CounterIncrement> heldBy(Connection c, String query, String nodeId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(query)) {
            s.setString(1, nodeId);
            return shares(s);
        }
    }

    /** The shares {@code s} selects: key kind, value, date, type, currency, contributor, amount. */
    private static List<CounterIncrement> shares(PreparedStatement s) throws SQLException {
        List<CounterIncrement> shares = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                CounterKey key = new CounterKey(CounterKind.valueOf(r.getString(1)), r.getString(2),
                        r.getObject(3, LocalDate.class), r.getString(4), r.getString(5));
                shares.add(new CounterIncrement(key, r.getLong(7), CounterLimit.UNLIMITED, r.getString(6)));
            }
        }
        return shares;
    }

    /** Takes one share off its counter (never below zero), in the caller's transaction. */
    private static void decrement(Connection c, CounterIncrement share, Instant now) throws SQLException {
        try (PreparedStatement d = c.prepareStatement(DECREMENT)) {
            d.setLong(1, share.amountMinor());
            SqlValues.setInstant(d, 2, now);
            int next = bindKey(d, 3, share.key());
            d.setLong(next, share.amountMinor());
            d.executeUpdate();
        }
    }

    /**
     * The state of the record of request {@code contributor} (its row locked), null where the journal
     * has none, or {@link #NOT_AN_IDENTITY}.
     */
    private static String stateOf(Connection c, String contributor) throws SQLException {
        String[] key = contributor.split("\\|", -1);
        if (key.length != 4 || !key[2].matches("\\d{4}-\\d{2}-\\d{2}")) {
            return NOT_AN_IDENTITY;
        }
        try (PreparedStatement s = c.prepareStatement(STATE_BY_KEY)) {
            s.setString(1, key[0]);
            s.setString(2, key[1]);
            s.setObject(3, LocalDate.parse(key[2]));
            s.setString(4, key[3]);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }

    /**
     * A request's identity as the contributor of its shares: its journal idempotency key (terminal,
     * STAN, transaction date, message class).
     */
    public static String contributor(String terminalId, String stan, LocalDate transactionDate, String mtiClass) {
        return terminalId + "|" + stan + "|" + transactionDate + "|" + mtiClass;
    }

    private static CounterIncrement share(CounterKind kind, String value, LocalDate date, String type, String currency,
                                          long amountMinor, String contributor) {
        return new CounterIncrement(new CounterKey(kind, value, date, type, currency), amountMinor, CounterLimit.UNLIMITED,
                contributor);
    }

    /**
     * Deletes the daily counters (card, terminal, merchant) and their shares of business dates
     * before {@code before}, in the caller's transaction: no limit reads them again, and without
     * this the tables would grow by a few rows a transaction for ever.
     *
     * @return the rows deleted
     */
    public static int purgeDailyBefore(Connection c, LocalDate before) throws SQLException {
        int deleted = 0;
        for (String purge : List.of(PURGE_DAILY_SHARES, PURGE_DAILY_COUNTERS)) {
            try (PreparedStatement s = c.prepareStatement(purge)) {
                s.setObject(1, before);
                deleted += s.executeUpdate();
            }
        }
        return deleted;
    }

    /** The identities holding a share of the counter under {@code key}. */
    public CompletableFuture<List<String>> contributorsTo(CounterKey key) {
        return executor.inTransaction("limit counters contributors", c -> {
            List<String> contributors = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(CONTRIBUTORS_TO)) {
                bindKey(s, 1, key);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        contributors.add(r.getString(1));
                    }
                }
            }
            return contributors;
        });
    }

    /** A counter's totals, empty if nothing was ever counted under {@code key}. */
    public CompletableFuture<Optional<CounterValue>> current(CounterKey key) {
        return executor.inTransaction("limit counters read", c -> read(c, key));
    }

    private static void createIfAbsent(Connection c, CounterKey key, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(CREATE)) {
            int next = bindKey(s, 1, key);
            SqlValues.setInstant(s, next, now);
            s.executeUpdate();
        }
    }

    /** True if the contribution was written (held by {@code holder}, or null), false if the counter already held it. */
    private static boolean contribute(Connection c, CounterIncrement increment, Instant now, String holder) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(CONTRIBUTE)) {
            int next = bindKey(s, 1, increment.key());
            s.setString(next, increment.contributor());
            s.setLong(next + 1, increment.amountMinor());
            SqlValues.setInstant(s, next + 2, now);
            s.setString(next + 3, holder);
            return s.executeUpdate() > 0;
        }
    }

    /** How often {@link #takeShare} tries before it gives up (each retry needs a share given back and taken again meanwhile). */
    private static final int SHARE_TRIES = 3;

    /**
     * Writes {@code increment}'s share (true: to be counted now) or takes over the one the counter
     * holds already (false: counted before; held by {@code holder}, or touched). A share given back
     * between the two statements ({@link #giveBackOfRequestsNotApproved}) is written anew; one that
     * another attempt of the same request wrote again meanwhile is taken over, not counted a second
     * time (before, both attempts counted against the one share: the counter one transaction too high).
     */
    private static boolean takeShare(Connection c, CounterIncrement increment, Instant now, String holder) throws SQLException {
        for (int tries = 0; tries < SHARE_TRIES; tries++) {
            if (contribute(c, increment, now, holder)) {
                return true;
            }
            if (holder != null ? hold(c, increment, holder, now) : touch(c, increment, now)) {
                return false;
            }
        }
        throw new SQLException("limit share of " + increment.contributor() + " given back and taken again " + SHARE_TRIES
                + " times during one increment");
    }

    /** The contribution becomes node {@code holder}'s, taken now; false if it is not there (any more). */
    private static boolean hold(Connection c, CounterIncrement increment, String holder, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(HOLD)) {
            s.setString(1, holder);
            SqlValues.setInstant(s, 2, now);
            int next = bindKey(s, 3, increment.key());
            s.setString(next, increment.contributor());
            return s.executeUpdate() > 0;
        }
    }

    /**
     * The contribution's time becomes {@code now}: its request took it again, and a give-back of the
     * request from before ({@link #giveBackOfRequestsNotApproved}) leaves it. False if it is not
     * there (any more): such a give-back deleted it first, and the request counts anew.
     */
    private static boolean touch(Connection c, CounterIncrement increment, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(TOUCH)) {
            SqlValues.setInstant(s, 1, now);
            int next = bindKey(s, 2, increment.key());
            s.setString(next, increment.contributor());
            return s.executeUpdate() > 0;
        }
    }

    /** True if the contribution was there (and is now deleted). */
    private static boolean withdraw(Connection c, CounterIncrement increment) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(WITHDRAW)) {
            int next = bindKey(s, 1, increment.key());
            s.setString(next, increment.contributor());
            return s.executeUpdate() > 0;
        }
    }

    private static boolean increment(Connection c, CounterIncrement increment, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(INCREMENT)) {
            s.setLong(1, increment.amountMinor());
            SqlValues.setInstant(s, 2, now);
            int next = bindKey(s, 3, increment.key());
            s.setLong(next, increment.limit().maxCount());
            s.setLong(next + 1, increment.amountMinor());
            s.setLong(next + 2, increment.limit().maxAmountMinor());
            return s.executeUpdate() > 0;
        }
    }

    private static LimitDecision refusal(Connection c, CounterIncrement increment) throws SQLException {
        CounterValue current = read(c, increment.key()).orElse(new CounterValue(0, 0));
        LimitDecision.ExceededLimit exceeded = current.count() + 1 > increment.limit().maxCount()
                ? LimitDecision.ExceededLimit.COUNT
                : LimitDecision.ExceededLimit.AMOUNT;
        return new LimitDecision.Refused(increment.key(), exceeded, current);
    }

    private static Optional<CounterValue> read(Connection c, CounterKey key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(READ)) {
            bindKey(s, 1, key);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(new CounterValue(r.getLong(1), r.getLong(2))) : Optional.empty();
            }
        }
    }

    /** Binds the five key columns from {@code index}; returns the next free index. */
    private static int bindKey(PreparedStatement s, int index, CounterKey key) throws SQLException {
        s.setString(index, key.kind().name());
        s.setString(index + 1, key.value());
        s.setObject(index + 2, key.businessDate());
        s.setString(index + 3, key.transactionType());
        s.setString(index + 4, key.currency());
        return index + 5;
    }
}
