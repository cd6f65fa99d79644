package io.isoswitch.core.session;

import io.isoswitch.settlement.store.TerminalSignOns;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a sign-on at any node end the terminal's older sessions at every node. Each sign-on is
 * recorded in the journal database in its own path ({@link #record}: one transaction, which gives it
 * its generation); every {@value #DEFAULT_POLL_MS} ms a thread of its own reads the sign-ons recorded
 * since its last read and ends this node's sessions of an older generation ({@link
 * TerminalSessions#signedOnAgain}). Requests never read the database for it: the keys a sign-on at
 * another node replaced keep working here for up to about one poll period. While the database does
 * not answer, the sessions this node holds stay as they are and the next poll catches up.
 */
public final class SignOnsAcrossNodes implements AutoCloseable {
    /** One second: the window in which a replaced key still verifies at another node. */
    public static final long DEFAULT_POLL_MS = 1_000;
    /**
     * How far back each poll reads before the last one's database time: a sign-on's row carries the
     * time its transaction began, and it may commit after a poll that began later.
     */
    static final Duration OVERLAP = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(SignOnsAcrossNodes.class);

    private final TerminalSignOns store;
    private final TerminalSessions sessions;
    private final String nodeId;
    private final long pollMs;
    private volatile Instant since;
    private ScheduledExecutorService poller;

    public SignOnsAcrossNodes(TerminalSignOns store, TerminalSessions sessions, String nodeId, long pollMs) {
        this.store = Objects.requireNonNull(store, "store");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        if (pollMs < 10) {
            throw new IllegalArgumentException("pollMs: expected at least 10, found " + pollMs);
        }
        this.pollMs = pollMs;
    }

    /** Reads the database's clock (this node holds no session yet: older sign-ons are nothing to it), then polls. */
    public void start() {
        since = store.databaseNow().join().minus(OVERLAP);
        poller = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("sign-ons").daemon().factory());
        poller.scheduleWithFixedDelay(() -> poll().toCompletableFuture().join(), pollMs, pollMs, TimeUnit.MILLISECONDS);
    }

    /** Records a sign-on of {@code terminalId} at this node; completes with its generation. */
    public CompletionStage<Long> record(String terminalId) {
        return store.record(terminalId, nodeId);
    }

    /** One poll: ends the sessions here that a sign-on recorded since the last one replaced. */
    CompletionStage<Void> poll() {
        Instant from = since;
        return store.since(from).thenAccept(changes -> {
            int ended = 0;
            for (TerminalSignOns.SignOn signOn : changes.signOns()) {
                if (sessions.signedOnAgain(signOn.terminalId(), signOn.generation())) {
                    ended++;
                }
            }
            if (ended > 0) {
                LOG.info("{} terminal session(s) ended here by a later sign-on", ended);
            }
            since = changes.databaseNow().minus(OVERLAP);
        }).exceptionally(failure -> {
            // the sessions held stay in force until the database answers again
            LOG.warn("terminal sign-ons could not be read: {}", failure.toString());
            return null;
        });
    }

    @Override
    public void close() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }

}
