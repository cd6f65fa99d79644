package io.isoswitch.core.session;

import io.isoswitch.security.Hsm;
import io.isoswitch.settlement.store.TerminalSignOns;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shares terminals' sign-ons between the nodes of a deployment (and with a node started again).
 * A sign-on at any node ends the terminal's older sessions at every node. Each sign-on is
 * recorded in the journal database in its own path ({@link #record}: one transaction, which gives it
 * its generation); every {@value #DEFAULT_POLL_MS} ms a thread of its own reads the sign-ons recorded
 * since its last read and ends this node's sessions of an older generation ({@link
 * TerminalSessions#signedOnAgain}). The keys a sign-on at another node replaced keep working here
 * for up to about one poll period. While the database does
 * not answer, the sessions this node holds stay as they are and the next poll catches up.
 *
 * <p>The keys each sign-on issued are kept in the database too, under the LMK ({@link #keep}): a
 * terminal whose request reaches a node without its session (the node restarted, or the terminal's
 * connection moved) is served under them ({@link #restore}) instead of being told to sign on again,
 * which would fail the cardholder's transaction, and a request whose MAC fails under the session
 * held here is tried under a later sign-on's ({@link #newerThan}). Requests read the database only
 * then, a few times a second at most per terminal. A sign-off ends the session everywhere ({@link #signOff}).
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

    /**
     * A terminal found with no keys (or none newer) kept is looked for at most {@value #LOOKS_PER_WINDOW}
     * times in this window: a stranger's requests under a known terminal id must not each cost a
     * database read, while the terminal itself, refused, signs on at another node and comes back at
     * once (a second look finds the new keys before the poll tells this node of the sign-on).
     */
    static final Duration NOTHING_KEPT_FOR = Duration.ofSeconds(1);
    static final int LOOKS_PER_WINDOW = 3;

    /** The looks at a terminal's kept keys that found nothing, since {@code since}. */
    private record Looks(Instant since, int count) {
    }

    private final TerminalSignOns store;
    private final TerminalSessions sessions;
    private final Hsm hsm;
    private final Clock clock;
    private final String nodeId;
    private final long pollMs;
    private final ConcurrentHashMap<String, Looks> nothingKept = new ConcurrentHashMap<>();
    private volatile Instant since;
    private ScheduledExecutorService poller;

    /** @param hsm loads the kept key blocks of a terminal's session taken up here ({@link #restore}) */
    public SignOnsAcrossNodes(TerminalSignOns store, TerminalSessions sessions, Hsm hsm, Clock clock, String nodeId, long pollMs) {
        this.store = Objects.requireNonNull(store, "store");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.hsm = Objects.requireNonNull(hsm, "hsm");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        if (pollMs < 10) {
            throw new IllegalArgumentException("pollMs: expected at least 10, found " + pollMs);
        }
        this.pollMs = pollMs;
    }

    /** Reads the database's clock (this node holds no session yet: older sign-ons are nothing to it), then polls. */
    public void start() {
        sessions.onRetired(this::forget);
        since = store.databaseNow().join().minus(OVERLAP);
        poller = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("sign-ons").daemon().factory());
        poller.scheduleWithFixedDelay(() -> poll().toCompletableFuture().join(), pollMs, pollMs, TimeUnit.MILLISECONDS);
    }

    /** Records a sign-on of {@code terminalId} at this node; completes with its generation. */
    public CompletionStage<Long> record(String terminalId) {
        return store.record(terminalId, nodeId);
    }

    /**
     * Keeps the keys of {@code session} (its sign-on recorded, {@link #record}) in the database, for a
     * node that has no session of the terminal: this one started again, or another it reaches.
     * Completes with false when a later sign-on or a sign-off of the terminal came first.
     */
    public CompletionStage<Boolean> keep(TerminalSession session) {
        nothingKept.remove(session.terminalId());
        return store.keep(session.terminalId(), new TerminalSignOns.Keys(session.generation(), session.pinKey().keyBlock(),
                session.macKey().keyBlock(), session.dataKey() == null ? null : session.dataKey().keyBlock(), session.issuedAt(),
                session.issuedOn()));
    }

    /**
     * The session of {@code terminalId}'s latest sign-on, taken up here from the keys kept in the
     * database (this node has none: it started again, or the terminal signed on at another node);
     * empty when none are kept (never signed on, signed off) or they have retired (by age, or here
     * by uses: {@link TerminalSessions#mayTakeUp}). Its uses count from zero at a node that never
     * held it (each node counts its own); its age from when the keys were issued.
     */
    public CompletionStage<Optional<TerminalSession>> restore(String terminalId) {
        return takeUp(terminalId, 0);
    }

    /**
     * The session of a sign-on of {@code terminalId} later than {@code generation}, taken up from the
     * database; empty when none is kept. For a request whose MAC failed under the session held here:
     * the terminal may have signed on at another node since, and the poll not have told this node
     * yet (a load balancer that moves a terminal's connection right after its sign-on).
     */
    public CompletionStage<Optional<TerminalSession>> newerThan(String terminalId, long generation) {
        return takeUp(terminalId, generation);
    }

    /** The kept keys of a sign-on of the terminal after {@code generation}, taken up; looked for a few times a second at most. */
    private CompletionStage<Optional<TerminalSession>> takeUp(String terminalId, long generation) {
        Looks looks = nothingKept.get(terminalId);
        if (looks != null && looks.count() >= LOOKS_PER_WINDOW && looks.since().plus(NOTHING_KEPT_FOR).isAfter(clock.instant())) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return store.keys(terminalId).thenApply(kept -> kept.filter(keys -> keys.generation() > generation)
                        .flatMap(keys -> sessions.takenUp(new TerminalSession(terminalId, hsm.loadKey(keys.pinKey()), hsm.loadKey(keys.macKey()),
                                keys.dataKey() == null ? null : hsm.loadKey(keys.dataKey()), keys.issuedAt(), null, keys.generation(),
                                keys.issuedOn())))
                        .filter(session -> session.generation() > generation))
                .whenComplete((session, failure) -> {
                    if (failure != null || session.isEmpty()) {
                        // none kept (or none newer), retired or replaced, not loadable (another LMK), or the database
                        // away: looked for again only a few times a second, whatever a stranger sends under its id
                        foundNothing(terminalId);
                    } else {
                        LOG.info("terminal {}: session of its sign-on {} taken up from the database", terminalId, session.get().generation());
                    }
                });
    }

    /** Keys that retired here (last use, or age): no node takes them up again. */
    private void forget(TerminalSession retired) {
        store.forget(retired.terminalId(), retired.generation()).exceptionally(failure -> {
            // kept, they stay usable for maxKeyAgeMinutes at nodes that take them up, never here
            LOG.warn("terminal {}: the retired keys of its sign-on {} could not be forgotten: {}", retired.terminalId(),
                    retired.generation(), failure.toString());
            return false;
        });
    }

    /**
     * Records a sign-off of {@code terminalId}: it ends the terminal's session at every node, as a
     * sign-on would, and leaves no keys to take up. The session here ends once the database has
     * recorded it; when it could not, nothing changes anywhere and the stage fails.
     */
    public CompletionStage<Void> signOff(String terminalId) {
        return store.signOff(terminalId, nodeId).thenAccept(generation -> {
            sessions.signedOff(terminalId);
            sessions.signedOnAgain(terminalId, generation);
            foundNothing(terminalId);
        });
    }

    /** One more look at the terminal's kept keys found nothing (a new window once the last has passed). */
    private void foundNothing(String terminalId) {
        Instant now = clock.instant();
        nothingKept.merge(terminalId, new Looks(now, 1), (held, first) -> held.since().plus(NOTHING_KEPT_FOR).isAfter(now)
                ? new Looks(held.since(), held.count() + 1) : first);
    }

    /** One poll: ends the sessions here that a sign-on recorded since the last one replaced. */
    CompletionStage<Void> poll() {
        Instant from = since;
        return store.since(from).thenAccept(changes -> {
            int ended = 0;
            for (TerminalSignOns.SignOn signOn : changes.signOns()) {
                nothingKept.remove(signOn.terminalId()); // a sign-on since: its keys may be kept now
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
