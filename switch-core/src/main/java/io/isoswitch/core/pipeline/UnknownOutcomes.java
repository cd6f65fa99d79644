package io.isoswitch.core.pipeline;

import io.isoswitch.settlement.journal.Journal;
import io.isoswitch.settlement.journal.TransactionState;
import io.isoswitch.settlement.limits.CounterIncrement;
import io.isoswitch.settlement.limits.LimitCounters;
import io.isoswitch.settlement.saf.SafRequest;
import java.nio.file.Path;
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
 * the ones the database did not take for the next try.
 *
 * <p>The database cannot be written when this happens, so what is owed is also kept on the node's
 * disk ({@link OwedReversalsFile}) before the terminal hears 96, and replayed by the node's next
 * start ({@link #durable}): a record left SENT would be reversed by crash recovery anyway, but one
 * whose APPROVED commit went through with its acknowledgement lost (a network timeout during the
 * commit) is found by nothing else, and its card would stay debited for a purchase its terminal
 * was told failed.
 */
public final class UnknownOutcomes {
    private static final Logger LOG = LoggerFactory.getLogger(UnknownOutcomes.class);

    /** @param ifAbsent the shares the request took, to give back if its record was never written (in memory only) */
    private record Owed(UUID id, SafRequest reversal, List<CounterIncrement> ifAbsent) {
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
    /** Whose shares the journal decides once a reversal is settled; null: none (tests, tools). */
    private final LimitCounters counters;
    private final Queue<Owed> owed = new ConcurrentLinkedQueue<>();
    /** The records owed a reversal, until one is queued for them: a repeat must not hear them approved. */
    private final Set<UUID> owedIds = ConcurrentHashMap.newKeySet();

    /** Owed reversals in memory only (tests, tools): a process that dies forgets them. */
    public UnknownOutcomes(Journal journal) {
        this(journal, null, null);
    }

    private UnknownOutcomes(Journal journal, OwedReversalsFile file, LimitCounters counters) {
        this.journal = journal;
        this.file = file;
        this.counters = counters;
    }

    /**
     * Owed reversals kept in {@code file} as well, starting with those an earlier process of this
     * node left there (the file is rewritten with only those); {@link #reverseOwed()} pays them.
     * Records the journal does not hold (a file left from another database) are dropped, logged.
     *
     * @param counters the limits' counters: once an owed reversal is settled, the journal decides
     *                 whether the request's daily limit shares and stand-in allowance are given back
     *                 ({@link LimitCounters#giveBackUnlessStanding}); null for none
     */
    public static UnknownOutcomes durable(Journal journal, io.isoswitch.settlement.journal.JournalReader reader, Path file,
                                          LimitCounters counters) {
        OwedReversalsFile store = new OwedReversalsFile(file);
        Map<UUID, SafRequest> left = new java.util.LinkedHashMap<>(store.read());
        left.keySet().removeIf(id -> {
            boolean foreign = reader.findById(id).join().isEmpty();
            if (foreign) {
                LOG.warn("{} owes a reversal for journal record {}, which this journal does not hold: dropped", file, id);
            }
            return foreign;
        });
        store.rewrite(left);
        UnknownOutcomes outcomes = new UnknownOutcomes(journal, store, counters);
        left.forEach((id, reversal) -> {
            outcomes.owedIds.add(id);
            outcomes.owed.add(new Owed(id, reversal, List.of()));
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
        return add(id, reversal, List.of());
    }

    /** {@link #add}, with the shares to give back if record {@code id} turns out never written. */
    private CompletableFuture<Void> add(UUID id, SafRequest reversal, List<CounterIncrement> ifAbsent) {
        CompletableFuture<Void> kept = file == null ? CompletableFuture.completedFuture(null)
                : CompletableFuture.runAsync(() -> file.owed(id, reversal), DISK).exceptionally(failure -> {
                    LOG.error("a reversal owed for journal record {} could not be kept in {}: {}", id, file, failure.toString());
                    return null;
                });
        return kept.thenRun(() -> {
            owedIds.add(id);
            owed.add(new Owed(id, reversal, ifAbsent));
        });
    }

    /**
     * {@link #add} when {@code failure} leaves the write of record {@code id} in doubt (it may have
     * committed: the database went away during the commit); nothing when it was refused before the
     * database had it (queue full, journal closed, the write refused), since then there is no record.
     */
    CompletableFuture<Void> addIfInDoubt(UUID id, Throwable failure, SafRequest reversal, List<CounterIncrement> ifAbsent) {
        boolean inDoubt = inDoubt(failure);
        LOG.warn("journal could not record approval {} ({}): {}", id, inDoubt ? "in doubt, its reversal owed" : "not written",
                failure.toString());
        return inDoubt ? add(id, reversal, ifAbsent) : CompletableFuture.completedFuture(null);
    }

    /**
     * Whether a journal write that failed with {@code failure} may have committed all the same (the
     * database went away during the commit, or the failure is not the journal's own), as opposed to
     * one refused before the database had it (queue full, journal closed, the write refused).
     */
    static boolean inDoubt(Throwable failure) {
        Throwable cause = IssuerAuthorizer.rootCause(failure);
        return !(cause instanceof io.isoswitch.settlement.JournalOverloadedException
                || cause instanceof io.isoswitch.settlement.JournalClosedException
                || cause instanceof io.isoswitch.settlement.JournalWriteException);
    }

    /** Whether record {@code id} is an approval its terminal did not hear, still to be reversed. */
    boolean isOwed(UUID id) {
        return owedIds.contains(id);
    }

    /** Approvals still owed a reversal. */
    public int size() {
        return owed.size();
    }

    /** One pass over what is owed; completes with how many records this pass moved to REVERSAL_PENDING. */
    public CompletableFuture<Integer> reverseOwed() {
        List<Owed> now = new ArrayList<>();
        for (Owed o = owed.poll(); o != null; o = owed.poll()) {
            now.add(o);
        }
        AtomicInteger moved = new AtomicInteger();
        CompletableFuture<?>[] each = now.stream().map(o -> reverse(o, TransactionState.APPROVED)
                .thenCompose(applied -> journalDecidesShares(o).thenApply(given -> applied))
                .handle((applied, failure) -> {
                    if (failure != null) {
                        owed.add(o); // the database is still out: next pass
                        return null;
                    }
                    owedIds.remove(o.id());
                    settled(o.id());
                    if (applied) {
                        moved.incrementAndGet();
                    }
                    return null;
                })).toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(each).thenApply(ignored -> moved.get());
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
