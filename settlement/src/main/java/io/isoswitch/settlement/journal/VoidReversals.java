package io.isoswitch.settlement.journal;

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
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * A terminal's reversal of its own void (it never heard the void's answer, so for the terminal the
 * sale stands). A void moves money only through the reversal of its original that it queued for
 * the issuer, so what the terminal's reversal can do depends on where that reversal is:
 *
 * <ul>
 *   <li>still queued and never handed to the issuer (no delivery attempt, no live claim): it is
 *       cancelled, the original goes back to the state it was approved in, the void becomes
 *       REVERSED: the sale stands, as the terminal believes, and nothing reaches the issuer;
 *   <li>handed to the issuer already (attempted, in flight or acknowledged): a reversal is never
 *       taken back, so the issuer has credited or will credit the sale the terminal keeps. The
 *       difference is recorded once ({@code void_reversal_exception}) for operations, and the
 *       audit lists it.
 * </ul>
 *
 * One transaction with the rows locked, so a store-and-forward claim racing the cancellation
 * either finds the entry cancelled or made its attempt first (then it is an exception).
 */
public final class VoidReversals {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(VoidReversals.class);
    /** What the terminal's reversal of a void did. */
    public enum Result {
        /** The void's issuer reversal was cancelled before it left: the original stands again. */
        CANCELLED,
        /** The void's issuer reversal was sent already: the difference is recorded as an exception. */
        EXCEPTION_RECORDED,
        /** The void no longer stands (reversed already): nothing to do. */
        NOTHING
    }

    /** A recorded exception: the issuer credited a sale whose void the terminal reversed. */
    public record Difference(UUID voidId, UUID originalId, LocalDate businessDate, String issuerId, String terminalId,
                            String voidStan, long amountMinor, String currency, Instant recordedAt) {
    }

    private static final String LOCK = "SELECT state, outcome_state, answered_to_repeat_at FROM journal WHERE id = ? FOR UPDATE";
    private static final String QUEUED_REVERSAL = """
            SELECT id, state, attempts, lease_until FROM saf_queue WHERE journal_id = ? AND kind = 'REVERSAL'
             ORDER BY id DESC FOR UPDATE""";
    private static final String CANCEL = """
            UPDATE saf_queue SET state = 'CANCELLED', done_at = ?, updated_at = ?, last_error = 'void reversed by its terminal'
             WHERE id = ? AND state = 'PENDING' AND attempts = 0""";
    private static final String MOVE = "UPDATE journal SET state = ?, updated_at = ? WHERE id = ? AND state = ?";
    private static final String RECORD = """
            INSERT INTO void_reversal_exception (void_id, original_id, business_date, issuer_id, terminal_id, void_stan,
                                                 amount_minor, currency, recorded_at)
            SELECT v.id, v.original_id, v.business_date, v.issuer_id, v.terminal_id, v.stan, v.amount_minor, v.currency, ?
              FROM journal v WHERE v.id = ?
               AND NOT EXISTS (SELECT 1 FROM void_reversal_exception e WHERE e.void_id = v.id)""";
    private static final String LIST = """
            SELECT void_id, original_id, business_date, issuer_id, terminal_id, void_stan, amount_minor, currency, recorded_at
              FROM void_reversal_exception WHERE business_date = ? ORDER BY recorded_at, void_id""";

    /** A queue entry still held ({@code SafRequest#heldFor}), as {@link io.isoswitch.settlement.saf.StoreAndForwardQueue#HELD} marks it. */
    private static final String HELD_ENTRY = " last_error LIKE '" + io.isoswitch.settlement.saf.StoreAndForwardQueue.HELD + "%'";
    private static final String RELEASE_HELD = """
            UPDATE saf_queue SET next_attempt_at = ?, last_error = NULL, updated_at = ?
             WHERE journal_id = ? AND kind = 'REVERSAL' AND state = 'PENDING' AND attempts = 0 AND""" + HELD_ENTRY;

    /**
     * How long a void's issuer reversal waits for the void's answer to reach its terminal before it
     * goes all the same ({@code SafRequest#heldFor}), and how long after a node's start at least
     * ({@link #holdAgain}): longer than a terminal waits for an answer (30 to 60 s), so that a terminal
     * that heard nothing and reverses its void finds the reversal still queued and cancels it.
     */
    public static final java.time.Duration HOLD = java.time.Duration.ofSeconds(90);

    private static final String HOLD_AGAIN = """
            UPDATE saf_queue SET next_attempt_at = ?, updated_at = ?
             WHERE state = 'PENDING' AND attempts = 0 AND next_attempt_at < ? AND""" + HELD_ENTRY;

    /** No queue entry that can be cancelled. */
    private static final long NONE = -1;

    private final BlockingSqlExecutor executor;
    private final Clock clock;

    public VoidReversals(JournalDatabase database, Clock clock) {
        this.executor = database.executor();
        this.clock = clock;
    }

    /**
     * The void of {@code originalId} was answered to its terminal: the issuer reversal it queued, held
     * until then ({@code SafRequest#heldFor}), is due now. Held, it waits for the terminal's reversal of
     * its void, which a crash, or a connection lost before the answer, makes it send: the
     * cancellation then wins. Completes with how many entries were released (0 when none was held).
     */
    public CompletableFuture<Integer> releaseHeld(UUID originalId) {
        return executor.inTransaction("void reversal released", c -> {
            Instant now = SqlValues.stored(clock.instant());
            try (PreparedStatement s = c.prepareStatement(RELEASE_HELD)) {
                SqlValues.setInstant(s, 1, now);
                SqlValues.setInstant(s, 2, now);
                s.setObject(3, originalId);
                return s.executeUpdate();
            }
        });
    }

    /**
     * Holds every void's issuer reversal still held for at least {@code grace} from now: at a node's
     * start, so that a restart longer than the hold does not deliver, before terminals can reconnect,
     * the reversals of voids whose answers died with the process (what the hold is for). Returns how
     * many entries it held longer.
     */
    public CompletableFuture<Integer> holdAgain(java.time.Duration grace) {
        return executor.inTransaction("void reversals held again", c -> {
            Instant now = SqlValues.stored(clock.instant());
            Instant until = now.plus(grace);
            try (PreparedStatement s = c.prepareStatement(HOLD_AGAIN)) {
                SqlValues.setInstant(s, 1, until);
                SqlValues.setInstant(s, 2, now);
                SqlValues.setInstant(s, 3, until);
                return s.executeUpdate();
            }
        });
    }

    /** The terminal reversed void {@code voidId}, which voided {@code originalId}. */
    public CompletableFuture<Result> reverseVoid(UUID voidId, UUID originalId) {
        return executor.inTransaction("void reversal", c -> undo(c, voidId, originalId, false));
    }

    /**
     * Void {@code voidId} of {@code originalId} was answered 96 (its write given up in doubt) and
     * committed all the same: its terminal takes the sale as standing and does not reverse the void,
     * so the switch undoes it as that reversal would, unless a repeat of the void was told it stands
     * since ({@code answered_to_repeat_at}, {@link Journal#answerToRepeat}; then it stands). Undone,
     * the void is netted out in settlement by an approved REVERSAL row naming it, journaled in the same
     * transaction ({@link TransitionApplier#INSERT_SWITCH_REVERSAL}). Its issuer reversal already left
     * (its hold over), the difference is recorded, as for a terminal's reversal that came too late.
     */
    public CompletableFuture<Result> undoVoidAnswered96(UUID voidId, UUID originalId) {
        return executor.inTransaction("void answered 96 undone", c -> undo(c, voidId, originalId, true));
    }

    private Result undo(Connection c, UUID voidId, UUID originalId, boolean bySwitch) throws SQLException {
        Instant now = SqlValues.stored(clock.instant());
        // the queue entry before the journal rows, the order the issuer's acknowledgement of it
        // takes them in (entry, then the original moved to REVERSED): taken the other way round,
        // the two deadlocked and the terminal's reversal failed (96)
        long cancellable = lockCancellableReversal(c, originalId);
        String[] voidState = lock(c, voidId);
        if (voidState == null || !TransactionState.APPROVED.name().equals(voidState[0]) || bySwitch && voidState[2] != null) {
            return Result.NOTHING;
        }
        String[] original = lock(c, originalId);
        if (original != null && TransactionState.REVERSAL_PENDING.name().equals(original[0]) && original[1] != null
                && cancellable != NONE && cancel(c, cancellable, now)) {
            move(c, originalId, TransactionState.REVERSAL_PENDING.name(), original[1], now);
            move(c, voidId, TransactionState.APPROVED.name(), TransactionState.REVERSED.name(), now);
            if (bySwitch) {
                journalSwitchReversal(c, voidId, now);
            }
            return Result.CANCELLED;
        }
        try (PreparedStatement s = c.prepareStatement(RECORD)) {
            SqlValues.setInstant(s, 1, now);
            s.setObject(2, voidId);
            s.executeUpdate();
        }
        return Result.EXCEPTION_RECORDED;
    }

    private static void journalSwitchReversal(Connection c, UUID voidId, Instant now) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(TransitionApplier.INSERT_SWITCH_REVERSAL)) {
            insert.setObject(1, JournalIds.next());
            SqlValues.setInstant(insert, 2, now);
            SqlValues.setInstant(insert, 3, now);
            insert.setObject(4, voidId);
            if (insert.executeUpdate() == 0) {
                // only a terminal's 0400 naming an MTI of version 9 can hold that key: the void stays undone
                // (its reversal cancelled), and settlement would count it; said, for operations
                LOG.warn("void {} was undone but its reversal row could not be journaled (its key is taken)", voidId);
            }
        }
    }

    /** The exceptions recorded for voids of {@code businessDate}, oldest first. */
    public CompletableFuture<List<Difference>> exceptions(LocalDate businessDate) {
        return executor.inTransaction("void reversal exceptions", c -> {
            List<Difference> found = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(LIST)) {
                s.setObject(1, businessDate);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        found.add(new Difference(r.getObject(1, UUID.class), r.getObject(2, UUID.class),
                                r.getObject(3, LocalDate.class), r.getString(4), r.getString(5), r.getString(6), r.getLong(7),
                                r.getString(8), SqlValues.getInstant(r, "recorded_at")));
                    }
                }
            }
            return List.copyOf(found);
        });
    }

    /** State, outcome state and the time a repeat was told it stands (or null) of a locked journal row, or null when there is none. */
    private static String[] lock(Connection c, UUID id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(LOCK)) {
            s.setObject(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? new String[] {r.getString(1), r.getString(2), r.getString(3)} : null;
            }
        }
    }

    /**
     * Locks the original's queued reversals and returns the newest if it never left (pending, never
     * attempted), else {@link #NONE}.
     */
    private static long lockCancellableReversal(Connection c, UUID originalId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(QUEUED_REVERSAL)) {
            s.setObject(1, originalId);
            try (ResultSet r = s.executeQuery()) {
                return !r.next() || !"PENDING".equals(r.getString(2)) || r.getInt(3) != 0 ? NONE : r.getLong(1);
            }
        }
    }

    /** Cancels queue entry {@code entry}, still pending with no attempt and no claim on it. */
    private static boolean cancel(Connection c, long entry, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(CANCEL)) {
            SqlValues.setInstant(s, 1, now);
            SqlValues.setInstant(s, 2, now);
            s.setLong(3, entry);
            return s.executeUpdate() == 1;
        }
    }

    private static void move(Connection c, UUID id, String from, String to, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(MOVE)) {
            s.setString(1, to);
            SqlValues.setInstant(s, 2, now);
            s.setObject(3, id);
            s.setString(4, from);
            s.executeUpdate();
        }
    }
}
