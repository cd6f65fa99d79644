package io.isoswitch.core.node;

import io.isoswitch.core.listener.TerminalListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a node out of service without cutting a transaction in half: readiness turns DOWN (a load
 * balancer stops sending), the terminal ports stop accepting and stop reading new requests, the
 * requests in flight get their answers (each answer leaves only after its outcome is durable in
 * the journal), then the terminal connections are closed. Bounded by a timeout: what is still in
 * flight then is left to the terminal's own timeout and reversal, exactly as after a crash.
 */
final class NodeDrain {
    private static final Logger LOG = LoggerFactory.getLogger(NodeDrain.class);
    private static final long POLL_MS = 20;

    private final List<TerminalListener> listeners;
    private final IntSupplier inFlight;
    private final AtomicBoolean started = new AtomicBoolean();
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    NodeDrain(List<TerminalListener> listeners, IntSupplier inFlight) {
        this.listeners = listeners;
        this.inFlight = inFlight;
    }

    /** Whether a drain has begun (readiness reports DOWN from then on). */
    boolean draining() {
        return started.get();
    }

    /** Completes when the drain has closed the terminal connections. */
    CompletableFuture<Void> done() {
        return done;
    }

    /**
     * Runs the drain on the calling thread (blocks up to {@code timeout} plus the closes); a second
     * call waits for the first one's end instead.
     */
    void run(Duration timeout) {
        if (!started.compareAndSet(false, true)) {
            done.join();
            return;
        }
        long start = System.nanoTime();
        try {
            LOG.info("draining: terminal ports closed to new connections and requests; {} requests in flight", inFlight.getAsInt());
            listeners.forEach(TerminalListener::stopTakingRequests);
            long deadline = start + timeout.toNanos();
            while (inFlight.getAsInt() > 0 && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(POLL_MS);
            }
            int left = inFlight.getAsInt();
            listeners.forEach(listener -> listener.closeConnections().awaitUninterruptibly(5, TimeUnit.SECONDS));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            if (left > 0) {
                LOG.warn("drain timed out after {} ms with {} requests in flight; terminal connections closed", ms, left);
            } else {
                LOG.info("drained in {} ms: every request answered, terminal connections closed", ms);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            done.complete(null);
        }
    }
}
