package io.isoswitch.core.pipeline;

import io.isoswitch.settlement.journal.Journal;
import io.isoswitch.settlement.journal.TransactionState;
import io.isoswitch.settlement.saf.SafRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Issuer approvals whose outcome write failed, so their terminal was answered 96: the issuer
 * debited, and the journal may hold the record APPROVED (the commit went through, its
 * acknowledgement was lost with the connection) or still SENT. Either way the terminal was told
 * "not approved", so the approval is reversed: each {@link #reverseOwed()} moves the record to
 * REVERSAL_PENDING with a reversal queued, from whichever of the two states it is in, and keeps
 * the ones the database did not take for the next try. Held in memory: if the node dies first, a
 * record left SENT is reversed by crash recovery or a take-over; one committed APPROVED with its
 * acknowledgement lost stays approved (that takes a lost commit acknowledgement and a crash).
 */
public final class UnknownOutcomes {
    private record Owed(UUID id, SafRequest reversal) {
    }

    private final Journal journal;
    private final Queue<Owed> owed = new ConcurrentLinkedQueue<>();
    /** The records owed a reversal, until one is queued for them: a repeat must not hear them approved. */
    private final Set<UUID> owedIds = ConcurrentHashMap.newKeySet();

    public UnknownOutcomes(Journal journal) {
        this.journal = journal;
    }

    /** The approval of record {@code id} must be reversed with {@code reversal}, whatever the journal holds. */
    void add(UUID id, SafRequest reversal) {
        owedIds.add(id);
        owed.add(new Owed(id, reversal));
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
                .handle((applied, failure) -> {
                    if (failure != null) {
                        owed.add(o); // the database is still out: next pass
                        return null;
                    }
                    owedIds.remove(o.id());
                    if (applied) {
                        moved.incrementAndGet();
                    }
                    return null;
                })).toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(each).thenApply(ignored -> moved.get());
    }

    private CompletableFuture<Boolean> reverse(Owed o, TransactionState from) {
        return journal.transition(o.id(), from, TransactionState.REVERSAL_PENDING, o.reversal())
                .thenCompose(result -> {
                    if (result.applied()) {
                        return CompletableFuture.completedFuture(true);
                    }
                    // the other of the two states; anything else (reversed by its terminal, by a
                    // sweep of records left SENT) owes nothing any more
                    TransactionState other = from == TransactionState.APPROVED ? TransactionState.SENT : TransactionState.APPROVED;
                    return result.state() == other ? reverse(o, other) : CompletableFuture.completedFuture(false);
                });
    }
}
