package io.isoswitch.core.saf;

import io.isoswitch.settlement.saf.SafEntry;
import io.isoswitch.settlement.saf.StoreAndForwardQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Group commit of the issuers' acknowledgements: while one batch is being written, the answers that
 * arrive wait, and go together in the next ({@link StoreAndForwardQueue#acknowledgeAll}, one
 * transaction). With a window of entries in flight the answers come in bursts, and a transaction
 * (a commit, a disk flush) each would make the database the drain's limit. An answer alone is
 * written at once, as before.
 */
final class SafAcknowledger {
    /** The most answers one transaction writes. */
    static final int MAX_BATCH = 256;

    private record Waiting(StoreAndForwardQueue.Acknowledgement answer, CompletableFuture<Boolean> first) {
    }

    private final StoreAndForwardQueue queue;
    private final Object lock = new Object();
    private List<Waiting> waiting = new ArrayList<>();
    private boolean writing;

    SafAcknowledger(StoreAndForwardQueue queue) {
        this.queue = queue;
    }

    /**
     * As {@link StoreAndForwardQueue#acknowledge(SafEntry, String)}: true the first time the entry is
     * done; fails, for this answer and the others of its batch, when the batch's transaction fails.
     */
    CompletableFuture<Boolean> acknowledge(SafEntry entry, String declinedCode) {
        Waiting answer = new Waiting(new StoreAndForwardQueue.Acknowledgement(entry, declinedCode), new CompletableFuture<>());
        boolean start;
        synchronized (lock) {
            waiting.add(answer);
            start = !writing;
            writing = true;
        }
        if (start) {
            writeNext();
        }
        return answer.first();
    }

    private void writeNext() {
        List<Waiting> batch;
        synchronized (lock) {
            if (waiting.isEmpty()) {
                writing = false;
                return;
            }
            if (waiting.size() <= MAX_BATCH) {
                batch = waiting;
                waiting = new ArrayList<>();
            } else {
                batch = new ArrayList<>(waiting.subList(0, MAX_BATCH));
                waiting = new ArrayList<>(waiting.subList(MAX_BATCH, waiting.size()));
            }
        }
        CompletableFuture<List<Boolean>> written;
        try {
            written = queue.acknowledgeAll(batch.stream().map(Waiting::answer).toList());
        } catch (RuntimeException e) {
            written = CompletableFuture.failedFuture(e);
        }
        written.whenComplete((firsts, failure) -> {
            for (int i = 0; i < batch.size(); i++) {
                if (failure != null) {
                    batch.get(i).first().completeExceptionally(failure);
                } else {
                    batch.get(i).first().complete(firsts.get(i));
                }
            }
            writeNext();
        });
    }
}
