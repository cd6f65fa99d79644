package io.isoswitch.core.saf;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One delivery round of one issuer's store-and-forward queue: keeps up to a window of entries in
 * flight to the issuer, claiming more (several per claim) as answers come back, until the queue
 * has nothing more to give or a delivery fails.
 *
 * <pre>
 *   window 16:  claim 16 -> send 16 ... answers come back, in any order ...
 *               8 still out -> claim 8 more -> ...
 *               a claim gives less than asked -> claim again only once all are back
 *               a claim gives nothing and none is out -> round over
 *               an entry fails (no answer, 91/96, link down) -> claim nothing more; round over once
 *               the rest are back; the next round starts {@linkplain #probing probing} with one
 *               an entry fails on its own (cannot be built) -> it waits for its retry, the round goes on
 * </pre>
 *
 * Which entries a claim may take (order, dependencies, backoff, other nodes' claims) is the
 * queue's business ({@code StoreAndForwardQueue.claim}); this class only bounds how many are out.
 * Every field is touched on {@code executor} only (one thread).
 *
 * @param <E> a claimed entry ({@code SafEntry}; anything in tests)
 */
final class IssuerDrain<E> {
    private static final Logger LOG = LoggerFactory.getLogger(IssuerDrain.class);

    /** Claims up to {@code max} entries for this node. */
    interface Claims<E> {
        CompletableFuture<List<E>> claim(int max);
    }

    /** How the delivery of one entry ended. */
    enum Delivered {
        /** The issuer acknowledged it and the queue took that. */
        ACKNOWLEDGED,
        /**
         * It failed for a reason of its own (it could not be built, or its card is under a data key
         * this node does not hold), which says nothing of the link:
         * it waits for its retry, and the round goes on with the other entries.
         */
        FAILED_ALONE,
        /** The link failed it (no answer, 91/96, link down), or its write was refused (kept for later): the round stops. */
        FAILED
    }

    /** Sends one claimed entry and writes how it ended. */
    interface Delivery<E> {
        CompletableFuture<Delivered> deliver(E entry);
    }

    private final String issuerId;
    private final int window;
    private final Claims<E> claims;
    private final Delivery<E> delivery;
    private final Executor executor;
    private final AtomicInteger inFlightGauge;
    private final CompletableFuture<Boolean> finished = new CompletableFuture<>();
    private int limit;
    private int inFlight;
    private boolean claiming;
    /** The last claim gave less than asked: the next waits until every entry out is back. */
    private boolean exhausted;
    /** A delivery or claim failed: nothing more is claimed this round. */
    private boolean stopped;

    /**
     * @param probing       start with one entry in flight, opening to {@code window} at the first
     *                      acknowledgement (the previous round ended in a failure: the issuer may
     *                      still not answer, and is not to be sent a window of entries to time out)
     * @param inFlightGauge counts this node's entries in flight to the issuer (shared by its rounds)
     */
    IssuerDrain(String issuerId, int window, boolean probing, Claims<E> claims, Delivery<E> delivery, Executor executor,
                AtomicInteger inFlightGauge) {
        if (window < 1) {
            throw new IllegalArgumentException("window: expected >= 1, found " + window);
        }
        this.issuerId = issuerId;
        this.window = window;
        this.limit = probing ? 1 : window;
        this.claims = claims;
        this.delivery = delivery;
        this.executor = executor;
        this.inFlightGauge = inFlightGauge;
    }

    /** Starts the round; completes when it is over, with true when a delivery (or claim) failed. */
    CompletableFuture<Boolean> run() {
        executor.execute(this::pump);
        return finished;
    }

    private void pump() {
        if (claiming || finished.isDone()) {
            return;
        }
        if (stopped) {
            if (inFlight == 0) {
                finished.complete(true);
            }
            return;
        }
        if (inFlight > limit / 2 || (exhausted && inFlight > 0)) {
            return;
        }
        int room = limit - inFlight;
        claiming = true;
        CompletableFuture<List<E>> claimed;
        try {
            claimed = claims.claim(room);
        } catch (RuntimeException e) {
            claimed = CompletableFuture.failedFuture(e);
        }
        claimed.whenCompleteAsync((entries, failure) -> claimed(room, entries, failure), executor);
    }

    private void claimed(int asked, List<E> entries, Throwable failure) {
        claiming = false;
        if (failure != null) {
            LOG.warn("store-and-forward: claiming issuer {}'s entries failed: {}", issuerId, failure.toString());
            stopped = true;
        } else if (entries.isEmpty() && inFlight == 0) {
            finished.complete(false);
            return;
        } else {
            exhausted = entries.size() < asked;
            for (E entry : entries) {
                inFlight++;
                inFlightGauge.incrementAndGet();
                send(entry);
            }
        }
        pump();
    }

    private void send(E entry) {
        CompletableFuture<Delivered> delivered;
        try {
            delivered = delivery.deliver(entry);
        } catch (RuntimeException e) {
            delivered = CompletableFuture.failedFuture(e);
        }
        delivered.whenCompleteAsync((how, failure) -> {
            if (failure != null) {
                LOG.warn("store-and-forward: a delivery to issuer {} failed: {}", issuerId, failure.toString());
            }
            back(failure == null && how != null ? how : Delivered.FAILED);
        }, executor);
    }

    private void back(Delivered how) {
        inFlight--;
        inFlightGauge.decrementAndGet();
        switch (how) {
            case ACKNOWLEDGED -> limit = window;
            // says nothing of the link: a probing round stays at one until an acknowledgement
            case FAILED_ALONE -> { }
            case FAILED -> stopped = true;
        }
        pump();
    }
}
