package io.isoswitch.core.pipeline;

import io.isoswitch.settlement.NoSuchJournalRecordException;
import io.isoswitch.settlement.journal.Journal;
import io.isoswitch.settlement.journal.TransactionState;
import io.isoswitch.settlement.limits.CounterIncrement;
import io.isoswitch.settlement.limits.LimitCounters;
import io.isoswitch.settlement.saf.SafRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issuer approvals whose outcome write failed, so their terminal was answered 96: the issuer
 * debited, and the journal may hold the record APPROVED (the commit went through, its
 * acknowledgement was lost with the connection) or still SENT. Either way the terminal was told
 * "not approved", so the approval is reversed: each {@link #reverseOwed()} moves the record to
 * REVERSAL_PENDING with a reversal queued, from whichever of the two states it is in, and keeps
 * the ones the database did not take for the next try. A record moved from an approved state gets,
 * in the same transaction, a REVERSAL row naming it ({@link Journal#transitionUnlessAnsweredToRepeat}):
 * what settlement nets the approval out by, so that the merchant is not paid for it.
 *
 * <p>The database cannot be written when this happens, so what is owed is also kept on the node's
 * disk ({@link OwedReversalsFile}) before the terminal hears 96, and replayed by the node's next
 * start ({@link #durable}): a record left SENT would be reversed by crash recovery anyway, but one
 * whose APPROVED commit went through with its acknowledgement lost (a network timeout during the
 * commit) is found by nothing else, and its card would stay debited for a purchase its terminal
 * was told failed.
 *
 * <p>A record the journal does not hold is not reversed: its write (a stand-in approval's, which
 * makes the record and queues its advice in one transaction) did not commit, so nothing was
 * approved. But a record not there yet may still come: a commit the database holds back (waiting
 * on a synchronous standby, a failover) becomes visible when it is done. So such a reversal stays
 * owed, and a repeat of its request still hears 96, until {@link #OWED_RECORD_GRACE} after it was
 * owed (after this process started, for one read from the file); only then is it abandoned:
 * logged, counted and shown by the {@link Abandoned} listener, and never tried again.
 */
public final class UnknownOutcomes {
    private static final Logger LOG = LoggerFactory.getLogger(UnknownOutcomes.class);

    /**
     * @param ifAbsent  the shares the request took, to give back if its record was never written (in memory only)
     * @param takenOver the shares it took over from an earlier attempt of the same request, which the journal
     *                  decides by the request's identity if its record was never written (in memory only)
     */
    private record Owed(UUID id, SafRequest reversal, Instant since, List<CounterIncrement> ifAbsent,
                        List<CounterIncrement> takenOver) {
    }

    /** Shares of requests not approved that could not be given back at {@code failedAt}. */
    private record Unreturned(List<CounterIncrement> shares, Instant failedAt) {
    }

    /**
     * How long a reversal stays owed for a record the journal does not hold. A write in doubt was
     * given up after {@code journal.networkTimeoutMs} (10 s by default) while the database may still
     * finish it: normally within milliseconds, later only when the database itself is held up (a
     * synchronous standby away, a failover: minutes). Half an hour is far past both; abandoning a
     * reversal whose record did come after all would leave a stand-in approval standing, with its
     * advice debiting a card whose terminal heard 96, while waiting longer costs one lookup a watch
     * round.
     */
    public static final Duration OWED_RECORD_GRACE = Duration.ofMinutes(30);

    /** Told of each reversal given up because its record never appeared ({@link #OWED_RECORD_GRACE}). */
    public interface Abandoned {
        Abandoned NONE = (id, reversal, owedSince) -> { };

        void abandoned(UUID id, SafRequest reversal, Instant owedSince);
    }

    /**
     * The states an approval whose terminal heard 96 may be found in: its outcome write not applied
     * (SENT), applied with its acknowledgement lost (APPROVED), or a stand-in approval's write applied so.
     */
    private static final Set<TransactionState> STANDING = Set.of(TransactionState.SENT, TransactionState.APPROVED,
            TransactionState.STAND_IN_APPROVED);

    /** File writes (a forced append each) run here, never on an event loop or the journal's writer. */
    private static final java.util.concurrent.Executor DISK = task -> Thread.ofVirtual().name("owed-reversals").start(task);

    private final Journal journal;
    /** Where what is owed survives the process; null: in memory only. */
    private final OwedReversalsFile file;
    private final Clock clock;
    private final Abandoned abandoned;
    /** Whose shares the journal decides once a reversal is settled; null: none (tests, tools). */
    private final LimitCounters counters;
    private final Queue<Owed> owed = new ConcurrentLinkedQueue<>();
    /** The records owed a reversal, until one is queued for them: a repeat must not hear them approved. */
    private final Set<UUID> owedIds = ConcurrentHashMap.newKeySet();
    /**
     * At most this many requests' shares are given back a pass (a transaction each, on the executor
     * that live requests' counters use): the rest of a long outage's backlog waits for the next.
     */
    static final int GIVE_BACKS_PER_PASS = 256;
    /** Limit shares to give back once the database answers (in memory only). */
    private final Queue<Unreturned> unreturned = new ConcurrentLinkedQueue<>();
    /** Records whose shares the journal decides once the database answers ({@link #journalDecidesLater}; in memory only). */
    private final Queue<UUID> toDecide = new ConcurrentLinkedQueue<>();

    /** Owed reversals in memory only (tests, tools): a process that dies forgets them. */
    public UnknownOutcomes(Journal journal) {
        this(journal, null, Clock.systemUTC(), Abandoned.NONE, null);
    }

    /** Owed reversals in memory only, on {@code clock}, telling {@code abandoned} of those given up. */
    public UnknownOutcomes(Journal journal, Clock clock, Abandoned abandoned) {
        this(journal, null, clock, abandoned, null);
    }

    private UnknownOutcomes(Journal journal, OwedReversalsFile file, Clock clock, Abandoned abandoned, LimitCounters counters) {
        this.journal = journal;
        this.file = file;
        this.clock = clock;
        this.abandoned = abandoned;
        this.counters = counters;
    }

    /**
     * Owed reversals kept in {@code file} as well, starting with those an earlier process of this
     * node left there (the file is rewritten with only those); {@link #reverseOwed()} pays them.
     * One whose record the journal does not hold (its write never committed, or not yet; or a file
     * left from another database) is owed as any other, and abandoned {@link #OWED_RECORD_GRACE}
     * after this start if the record has not appeared by then.
     *
     * @param counters the limits' counters: once an owed reversal is settled, the journal decides
     *                 whether the request's daily limit shares and stand-in allowance are given back
     *                 ({@link LimitCounters#giveBackUnlessStanding}); null for none
     */
    public static UnknownOutcomes durable(Journal journal, Path file, Clock clock, Abandoned abandoned, LimitCounters counters) {
        OwedReversalsFile store = new OwedReversalsFile(file);
        Map<UUID, SafRequest> left = new java.util.LinkedHashMap<>(store.read());
        store.rewrite(left);
        UnknownOutcomes outcomes = new UnknownOutcomes(journal, store, clock, abandoned, counters);
        Instant now = clock.instant();
        left.forEach((id, reversal) -> {
            outcomes.owedIds.add(id);
            outcomes.owed.add(new Owed(id, reversal, now, List.of(), List.of()));
        });
        return outcomes;
    }

    /**
     * The approval of record {@code id} must be reversed with {@code reversal}, whatever the journal
     * holds. Completes once it is on disk (if the disk fails too, that is logged and it is held in
     * memory only) and owed: the caller answers its terminal after that. The disk is written off
     * the caller's thread, which may be an event loop or the journal's writer.
     */
    CompletableFuture<Void> add(UUID id, SafRequest reversal) {
        return add(id, reversal, List.of(), List.of());
    }

    /** {@link #add}, with the shares to give back if record {@code id} turns out never written. */
    private CompletableFuture<Void> add(UUID id, SafRequest reversal, List<CounterIncrement> ifAbsent,
                                        List<CounterIncrement> takenOver) {
        CompletableFuture<Void> kept = file == null ? CompletableFuture.completedFuture(null)
                : CompletableFuture.runAsync(() -> file.owed(id, reversal), DISK).exceptionally(failure -> {
                    LOG.error("a reversal owed for journal record {} could not be kept in {}: {}", id, file, failure.toString());
                    return null;
                });
        return kept.thenRun(() -> {
            owedIds.add(id);
            owed.add(new Owed(id, reversal, clock.instant(), ifAbsent, List.copyOf(takenOver)));
        });
    }

    /**
     * {@link #add} when {@code failure} leaves the write of record {@code id} in doubt (it may have
     * committed: the database went away during the commit); nothing when it was refused before the
     * database had it (queue full, journal closed, no connection to the database, the write
     * refused), since then there is no record and never will be.
     */
    CompletableFuture<Void> addIfInDoubt(UUID id, Throwable failure, SafRequest reversal, List<CounterIncrement> ifAbsent) {
        return addIfInDoubt(id, failure, reversal, ifAbsent, List.of());
    }

    /**
     * {@link #addIfInDoubt(UUID, Throwable, SafRequest, List)} for a request that also took over
     * {@code takenOver}, shares an earlier attempt of it answered 96 left (a resend adopts them). If
     * record {@code id} turns out never written, the journal decides them by the request's identity,
     * as {@link #giveBackLater} does with the write's failure as their time: given back unless a
     * record under that identity stands, and not if taken again since. If record {@code id} is there,
     * they are its request's shares and follow it ({@link LimitCounters#giveBackUnlessStanding}).
     */
    CompletableFuture<Void> addIfInDoubt(UUID id, Throwable failure, SafRequest reversal, List<CounterIncrement> ifAbsent,
                                         List<CounterIncrement> takenOver) {
        boolean inDoubt = inDoubt(failure);
        LOG.warn("journal could not record approval {} ({}): {}", id, inDoubt ? "in doubt, its reversal owed" : "not written",
                failure.toString());
        return inDoubt ? add(id, reversal, ifAbsent, takenOver) : CompletableFuture.completedFuture(null);
    }

    /**
     * Whether a journal write that failed with {@code failure} may have committed all the same (the
     * database went away during a statement or the commit, or the failure is not the journal's own),
     * as opposed to one refused before the database had it: queue full, journal closed, the write
     * refused, or no connection to be had ({@code JournalNotReachedException}: the database out of
     * reach, so the journal refused at once, or the pool's wait failed; not one statement was sent).
     */
    static boolean inDoubt(Throwable failure) {
        Throwable cause = IssuerAuthorizer.rootCause(failure);
        return !(cause instanceof io.isoswitch.settlement.JournalOverloadedException
                || cause instanceof io.isoswitch.settlement.JournalClosedException
                || cause instanceof io.isoswitch.settlement.JournalNotReachedException
                || cause instanceof io.isoswitch.settlement.JournalWriteException);
    }

    /**
     * The limit shares (with their request's identity) of a request not approved that could not be
     * given back when it was answered: the release failed, or the increment itself failed in doubt and
     * may have counted them, the database away. Left so, each would count against its card, terminal
     * or merchant for the rest of the day. The next passes of {@link #reverseOwed()} give them back
     * once the database answers, as the journal decides
     * ({@link LimitCounters#giveBackOfRequestsNotApproved}: not if the request was approved after
     * all, by a resend that took them again). In memory only; nothing without counters.
     */
    void giveBackLater(List<CounterIncrement> shares) {
        giveBackLater(shares, clock.instant());
    }

    /** {@link #giveBackLater(List)} of shares whose request failed at {@code failedAt}. */
    private void giveBackLater(List<CounterIncrement> shares, Instant failedAt) {
        List<CounterIncrement> identified = shares.stream().filter(share -> share.contributor() != null).toList();
        if (counters != null && !identified.isEmpty()) {
            unreturned.add(new Unreturned(identified, failedAt));
        }
    }

    /** Shares still to give back ({@link #giveBackLater}). */
    int sharesToGiveBack() {
        return unreturned.stream().mapToInt(u -> u.shares().size()).sum();
    }

    /**
     * The shares of record {@code id}, an approval undone (reversed, voided, or resolved after a
     * crash) whose give-back failed or whose move is in doubt, go as the journal decides once the
     * database answers ({@link LimitCounters#giveBackUnlessStanding}, the record's row locked): all
     * of them (daily counts, its share of an original, a stand-in allowance) unless it stands. By
     * the record, not by the request's identity: a resend of the request that adopted a share since
     * cannot make a record that no longer stands stand again, so the share goes too. In memory only;
     * nothing without counters.
     */
    void journalDecidesLater(UUID id) {
        if (counters != null) {
            toDecide.add(id);
        }
    }

    private CompletableFuture<Void> decideQueued() {
        List<UUID> now = new ArrayList<>();
        for (UUID id; now.size() < GIVE_BACKS_PER_PASS && (id = toDecide.poll()) != null; ) {
            now.add(id);
        }
        CompletableFuture<?>[] each = now.stream().map(id -> counters.giveBackUnlessStanding(id, List.of())
                .handle((given, failure) -> {
                    if (failure != null) {
                        toDecide.add(id); // the database still away: next pass
                    }
                    return null;
                })).toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(each);
    }

    private CompletableFuture<Void> giveBackUnreturned() {
        List<Unreturned> now = new ArrayList<>();
        for (Unreturned u; now.size() < GIVE_BACKS_PER_PASS && (u = unreturned.poll()) != null; ) {
            now.add(u);
        }
        CompletableFuture<?>[] each = now.stream().map(u -> counters.giveBackOfRequestsNotApproved(u.shares(), u.failedAt())
                .handle((later, failure) -> {
                    if (failure != null) {
                        unreturned.add(u); // the database still away: next pass
                    } else if (!later.isEmpty()) {
                        unreturned.add(new Unreturned(later, u.failedAt())); // a record still SENT decides later
                    }
                    return null;
                })).toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(each);
    }

    /** Whether record {@code id} is an approval its terminal did not hear, still to be reversed. */
    boolean isOwed(UUID id) {
        return owedIds.contains(id);
    }

    /** Approvals still owed a reversal. */
    public int size() {
        return owed.size();
    }

    /**
     * One pass over what is owed; completes with how many records this pass moved to
     * REVERSAL_PENDING. A record the journal does not hold stays owed until its grace is over, then
     * is abandoned ({@link #OWED_RECORD_GRACE}). Then the limit shares left to give back
     * ({@link #giveBackLater}, {@link #journalDecidesLater}).
     */
    public CompletableFuture<Integer> reverseOwed() {
        List<Owed> now = new ArrayList<>();
        for (Owed o = owed.poll(); o != null; o = owed.poll()) {
            now.add(o);
        }
        AtomicInteger moved = new AtomicInteger();
        CompletableFuture<?>[] each = now.stream().map(o -> reverse(o, TransactionState.APPROVED)
                .thenCompose(applied -> journalDecidesShares(o).thenApply(given -> applied))
                .handle((applied, failure) -> {
                    if (failure != null && IssuerAuthorizer.rootCause(failure) instanceof NoSuchJournalRecordException
                            && !clock.instant().isBefore(o.since().plus(OWED_RECORD_GRACE))) {
                        owedIds.remove(o.id());
                        abandonedInFile(o.id());
                        abandoned.abandoned(o.id(), o.reversal(), o.since());
                        // no record under its id; but a resend of its request, journaled as new, may stand on
                        // the shares it took (taken over): what it took and what it took over go as the
                        // journal decides by the request's identity (this pass), none taken since it was owed
                        List<CounterIncrement> shares = new ArrayList<>(o.ifAbsent());
                        shares.addAll(o.takenOver());
                        giveBackLater(shares, o.since());
                        return null;
                    }
                    if (failure != null) {
                        owed.add(o); // the database is still out, or the record not there yet: next pass
                        return null;
                    }
                    owedIds.remove(o.id());
                    settled(o.id());
                    if (applied) {
                        moved.incrementAndGet();
                    }
                    return null;
                })).toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(each).thenCompose(ignored -> giveBackUnreturned()).thenCompose(ignored -> decideQueued())
                .thenApply(ignored -> moved.get());
    }

    /**
     * The reversal settled (queued, or not owed any more: the record moved on, or a repeat was told
     * it stands): the request's limit shares and stand-in allowance now follow what its record says
     * (given back unless it stands; once, on whichever node). A failure leaves the reversal owed, and
     * the next pass, finding its record moved, tries this again.
     */
    private CompletableFuture<Integer> journalDecidesShares(Owed o) {
        return counters == null ? CompletableFuture.completedFuture(0) : counters.giveBackUnlessStanding(o.id(), o.ifAbsent());
    }

    private void abandonedInFile(UUID id) {
        if (file != null) {
            CompletableFuture.runAsync(() -> file.abandoned(id), DISK).exceptionally(failure -> {
                // replayed at the next start, it is owed again and abandoned again after its grace
                LOG.warn("marking the owed reversal of journal record {} abandoned in {} failed: {}", id, file, failure.toString());
                return null;
            });
        }
    }

    private void settled(UUID id) {
        if (file != null) {
            CompletableFuture.runAsync(() -> file.settled(id), DISK).exceptionally(failure -> {
                // replayed at the next start, it finds its record moved on and moves nothing
                LOG.warn("settling the owed reversal of journal record {} in {} failed: {}", id, file, failure.toString());
                return null;
            });
        }
    }

    private CompletableFuture<Boolean> reverse(Owed o, TransactionState from) {
        return reverse(o, from, STANDING.size());
    }

    /**
     * From {@code from}, then from whichever other standing state the record is found in (at most
     * {@code tries} moves); anything else (reversed by its terminal, by a sweep of records left SENT)
     * owes nothing any more, and neither does an approval a repeat was told stands
     * ({@link Journal#answerToRepeat}; it is found still in {@code from}). An approval in stand-in is known to its issuer by its advice only: it is
     * reversed by a reversal advice (0420), queued behind that advice.
     */
    private CompletableFuture<Boolean> reverse(Owed o, TransactionState from, int tries) {
        SafRequest r = o.reversal();
        SafRequest reversal = from == TransactionState.STAND_IN_APPROVED
                ? new SafRequest(r.kind(), r.issuerId(), "0420", r.reasonCode(), r.amountMinor(), r.currency(), r.iccData())
                : r;
        // unless a repeat was answered 00 from the record meanwhile (another node, or this one
        // before a restart, which cannot know of the 96): the approval then stands, as the terminal last heard
        return journal.transitionUnlessAnsweredToRepeat(o.id(), from, TransactionState.REVERSAL_PENDING, reversal)
                .thenCompose(result -> {
                    if (result.applied()) {
                        return CompletableFuture.completedFuture(true);
                    }
                    return tries > 1 && result.state() != from && STANDING.contains(result.state())
                            ? reverse(o, result.state(), tries - 1) : CompletableFuture.completedFuture(false);
                });
    }
}
