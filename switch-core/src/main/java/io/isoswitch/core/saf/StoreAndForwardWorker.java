package io.isoswitch.core.saf;

import io.micrometer.core.instrument.Gauge;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import io.isoswitch.core.issuer.IssuerLink;
import io.isoswitch.core.issuer.IssuerLinks;
import io.isoswitch.core.issuer.IssuerResponse;
import io.isoswitch.security.Hsm;
import io.isoswitch.security.SecureKey;
import io.isoswitch.settlement.journal.IssuerLeg;
import io.isoswitch.settlement.saf.SafEntry;
import io.isoswitch.core.txn.ResponseCodes;
import io.isoswitch.settlement.saf.SafKind;
import io.isoswitch.settlement.saf.StoreAndForwardQueue;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.time.Instant;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the store-and-forward queue: reversals (of timeouts, crashes and terminals' own
 * reversals) and advices, each repeated (0401...) with growing backoff until the issuer answers.
 * Any answer acknowledges (an issuer that cannot find the original says so, and repeating would
 * change nothing) except 91 and 96, which mean "try again". An entry the switch cannot build fails
 * on its own: it waits for its retry while the rest of its issuer's queue goes on, and past its
 * retry stop the queue abandons it ({@link AbandonedEntries}). The queue's claims are exactly-once
 * across nodes, so several nodes can run a worker each.
 *
 * <p>Per issuer, up to {@code issuers[].safWindow} entries are in flight at once from this node
 * ({@link IssuerDrain}); the queue hands out only entries whose order matters to nobody still
 * undelivered (an advice goes before the reversal of its record), holds everything behind an
 * entry that waits for its retry after a failure of the link, and after such a failure the next
 * round sends one entry before it opens the window again. Acknowledgements are written in batches ({@link SafAcknowledger}).
 * Issuers are drained side by side.
 *
 * <p>Runs on its own single thread; a round starts every second, or at once when {@link #nudge()}d.
 */
public final class StoreAndForwardWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StoreAndForwardWorker.class);
    private static final Duration LEASE = Duration.ofSeconds(60);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    /**
     * A reversal held back is money held on a cardholder's account, and an issuer's queue is
     * delivered in order behind its head: a head that failed a dozen times while the issuer flapped
     * must not keep the whole queue waiting minutes once the issuer answers again.
     */
    private static final Duration MAX_RETRY = Duration.ofSeconds(30);
    private static final long ROUND_INTERVAL_MS = 1_000;
    /** The reason an entry that failed on its own waits with ({@code last_error}). */
    static final String CANNOT_BUILD = "cannot be built";
    /** Advices the issuer acknowledged with a decline, per issuer: approved to a terminal, not posted. */
    public static final String ADVICE_DECLINED_METRIC = "switch.saf.advice.declined";
    /** Queue writes after an attempt that the database refused, kept and retried by the next round. */
    public static final String WRITE_RETRIES_METRIC = "switch.saf.write.retries";
    /**
     * Attempts that failed because this node cannot decrypt the entry's card
     * ({@link DataKeyUnavailableException}), per issuer, with no retry stop: a card under another data
     * key is set aside alone, a data key of this node's that does not work makes the issuer's queue
     * wait. Alert on any increase.
     */
    public static final String DATA_KEY_METRIC = "switch.saf.data.key.unavailable";
    /** The reason an entry waits with ({@code last_error}, after {@code "set aside: "} when it waits alone) while this node cannot decrypt it. */
    static final String DATA_KEY_UNAVAILABLE = "data key unavailable";
    /** Entries this node has sent to the issuer and awaits the answer of, per issuer (at most its {@code safWindow}). */
    public static final String IN_FLIGHT_METRIC = "switch.saf.in.flight";

    private final StoreAndForwardQueue queue;
    private final IssuerLinks links;
    private final QueuedMessages messages;
    private final String consumerId;
    private final io.isoswitch.settlement.journal.JournalReader reader;
    private final Clock clock;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("store-and-forward").daemon().factory());
    private final AtomicBoolean roundRunning = new AtomicBoolean();
    private final io.micrometer.core.instrument.MeterRegistry registry;
    /**
     * Queue writes that failed after an attempt (the issuer answered, the database did not take the
     * acknowledgement): this worker still holds the entry's lease, and would otherwise keep the
     * issuer's whole queue waiting until the lease runs out. Each round retries them first.
     */
    private final Queue<Supplier<CompletableFuture<?>>> unfinished = new ConcurrentLinkedQueue<>();
    private final SafAcknowledger acknowledger;
    /** Issuers whose last round ended in a failure: the next sends one entry before opening the window. */
    private final Set<String> probing = ConcurrentHashMap.newKeySet();
    /** Issuers with a drain running (at most one each). */
    private final Set<String> draining = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> inFlight =
            new ConcurrentHashMap<>();
    private final AbandonedEntries abandoned;

    private volatile java.util.function.Predicate<String> paused = issuer -> false;

    public StoreAndForwardWorker(StoreAndForwardQueue queue, IssuerLinks links, Hsm hsm, SecureKey dataKey, String consumerId,
                                 Clock clock) {
        this(queue, links, hsm, dataKey, consumerId, clock, null);
    }

    /** @param reader finds the pre-authorization a completion advice names (null: advices carry no field 90) */
    public StoreAndForwardWorker(StoreAndForwardQueue queue, IssuerLinks links, Hsm hsm, SecureKey dataKey, String consumerId,
                                 Clock clock, io.isoswitch.settlement.journal.JournalReader reader) {
        this(queue, links, hsm, dataKey, consumerId, clock, reader, null);
    }

    /** @param registry where {@value #ADVICE_DECLINED_METRIC} is counted (null: not counted) */
    public StoreAndForwardWorker(StoreAndForwardQueue queue, IssuerLinks links, Hsm hsm, SecureKey dataKey, String consumerId,
                                 Clock clock, io.isoswitch.settlement.journal.JournalReader reader,
                                 io.micrometer.core.instrument.MeterRegistry registry) {
        this.registry = registry;
        this.reader = reader;
        this.queue = queue;
        this.links = links;
        this.messages = new QueuedMessages(hsm, dataKey, clock);
        this.consumerId = consumerId;
        this.clock = clock;
        this.acknowledger = new SafAcknowledger(queue);
        this.abandoned = new AbandonedEntries(registry, links.links().stream().map(IssuerLink::issuerId).toList(), clock);
        links.links().forEach(link -> inFlight(link.issuerId()));
        // at zero from the start, so that the first retry or declined advice is a rise that
        // Prometheus's rate() and increase() (and the alert on declined advices) see
        if (registry != null) {
            writeRetries();
            links.links().forEach(link -> {
                adviceDeclinedCounter(link.issuerId());
                dataKeyCounter(link.issuerId());
                Gauge.builder(IN_FLIGHT_METRIC, inFlight(link.issuerId()),
                                AtomicInteger::get)
                        .description("Store-and-forward entries this node has sent to the issuer and awaits the answer of")
                        .tag("issuer", link.issuerId()).register(registry);
            });
        }
    }

    /** What this node gave up delivering ({@code GET /ops/saf}, {@value AbandonedEntries#METRIC}). */
    public AbandonedEntries abandoned() {
        return abandoned;
    }

    private AtomicInteger inFlight(String issuerId) {
        return inFlight.computeIfAbsent(issuerId, id -> new AtomicInteger());
    }

    public void start() {
        thread.scheduleWithFixedDelay(this::round, ROUND_INTERVAL_MS, ROUND_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    /**
     * Delivers nothing to an issuer while {@code paused} says so: one whose stand-in operations forced
     * (a maintenance window the bank announced, answers that cannot be trusted), whose advices and
     * reversals go once it is lifted. Before, the link being up was enough, and a bank that asked for
     * no traffic got its advices at once (judge A).
     */
    public void pauseWhile(java.util.function.Predicate<String> paused) {
        this.paused = java.util.Objects.requireNonNull(paused, "paused");
    }

    /**
     * The issuer's link came up again: what waits for it is due now, not at the end of the backoff
     * its failures while it was down earned, and a round starts.
     */
    public void linkUp(String issuerId) {
        queue.dueNow(issuerId).whenComplete((made, failure) -> {
            if (failure != null) {
                LOG.warn("store-and-forward: could not make issuer {}'s queue due: {}", issuerId, failure.toString());
            }
            nudge();
        });
    }

    /** Starts a delivery round now (something was just queued). */
    public void nudge() {
        thread.execute(this::round);
    }

    private void round() {
        if (!roundRunning.compareAndSet(false, true)) {
            return;
        }
        finishUnfinished()
                .thenCompose(ignored -> queue.issuersWithPending())
                .thenCompose(this::drainAll)
                .whenComplete((done, failure) -> {
                    if (failure != null) {
                        LOG.warn("store-and-forward round failed: {}", failure.toString());
                    }
                    roundRunning.set(false);
                });
    }

    /** Retries each write left unfinished, in order; one that fails again waits for the next round. */
    private CompletableFuture<Void> finishUnfinished() {
        CompletableFuture<Void> all = CompletableFuture.completedFuture(null);
        for (int n = unfinished.size(); n > 0; n--) {
            Supplier<CompletableFuture<?>> write = unfinished.poll();
            if (write == null) {
                break;
            }
            all = all.thenCompose(ignored -> finishing(write)).thenApply(written -> null);
        }
        return all;
    }

    /**
     * Runs {@code write}: true once it is written; false, with the write kept for the next round,
     * when the database refused it (the future completes either way).
     */
    private CompletableFuture<Boolean> finishing(Supplier<CompletableFuture<?>> write) {
        CompletableFuture<?> attempt;
        try {
            attempt = write.get();
        } catch (RuntimeException e) {
            attempt = CompletableFuture.failedFuture(e);
        }
        return attempt.handle((done, failure) -> {
            if (failure != null) {
                LOG.warn("store-and-forward: a queue write failed, kept for the next round: {}", failure.toString());
                unfinished.add(write);
                if (registry != null) {
                    writeRetries().increment();
                }
            }
            return failure == null;
        });
    }

    /**
     * Starts a drain of each issuer with entries that has none running: issuers are drained side by
     * side, and one issuer's long queue does not keep the next round from starting another's.
     */
    private CompletableFuture<Void> drainAll(List<String> issuers) {
        for (String issuer : issuers) {
            // the queue is shared by every node: an issuer this node has no link to (another
            // node's, or one taken out of the configuration) is left to a node that has one
            if (links.isUp(issuer) && !paused.test(issuer) && draining.add(issuer)) {
                CompletableFuture<Void> drained;
                try {
                    drained = drain(links.link(issuer));
                } catch (RuntimeException e) {
                    drained = CompletableFuture.failedFuture(e);
                }
                drained.whenComplete((done, failure) -> {
                    draining.remove(issuer);
                    if (failure != null) {
                        LOG.warn("store-and-forward: draining issuer {} failed: {}", issuer, failure.toString());
                    }
                });
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Delivers one issuer's entries, a window at a time, until the queue gives no more or a delivery fails. */
    private CompletableFuture<Void> drain(IssuerLink link) {
        String issuer = link.issuerId();
        IssuerDrain<SafEntry> drain = new IssuerDrain<>(issuer, link.config().safWindow(), probing.contains(issuer),
                max -> queue.claimWindow(issuer, consumerId, LEASE, max).thenApply(claimed -> {
                    claimed.abandoned().forEach(abandoned::pastRetryStop);
                    return claimed.entries();
                }), entry -> deliver(link, entry), thread, inFlight(issuer));
        return drain.run().thenAccept(failed -> {
            if (failed) {
                probing.add(issuer);
            } else {
                probing.remove(issuer);
            }
        });
    }

    private CompletableFuture<IssuerDrain.Delivered> deliver(IssuerLink link, SafEntry entry) {
        if (entry.request().kind() != SafKind.ADVICE) {
            return deliver(link, entry, send(link, entry, null));
        }
        java.util.UUID adviceOriginal = entry.original().request().originalId();
        CompletableFuture<io.isoswitch.settlement.journal.JournalEntry> original = adviceOriginal == null || reader == null
                ? CompletableFuture.completedFuture(null)
                : reader.findById(adviceOriginal).thenApply(found -> found.orElse(null));
        return original.thenCompose(named -> deliver(link, entry, send(link, entry, named)));
    }

    /**
     * Sends one attempt. An advice goes under its record's own STAN every time, so that the issuer
     * recognises a repeat and a later reversal (field 90) names what the issuer booked.
     */
    private CompletableFuture<IssuerResponse> send(IssuerLink link, SafEntry entry,
                                                   io.isoswitch.settlement.journal.JournalEntry adviceOriginal) {
        io.isoswitch.core.issuer.RequestWriter built;
        try {
            built = messages.writer(entry, link.config().acquiringInstitutionId(), adviceOriginal);
        } catch (DataKeyUnavailableException e) {
            return CompletableFuture.failedFuture(e);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new EntryCannotBeBuiltException(e));
        }
        // what the writer throws is the entry's own failure; anything else in the send is the link's
        io.isoswitch.core.issuer.RequestWriter writer = (fields, stamp) -> {
            try {
                built.write(fields, stamp);
            } catch (EntryCannotBeBuiltException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new EntryCannotBeBuiltException(e);
            }
        };
        try {
            IssuerLeg own = entry.original().request().issuer();
            return entry.request().kind() == SafKind.ADVICE && own != null
                    ? link.send(QueuedMessages.mti(entry), Integer.parseInt(own.switchStan()), writer)
                    : link.send(QueuedMessages.mti(entry), writer);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Any answer but 91 and 96 acknowledges. An advice answered with a decline is acknowledged too
     * (repeating it would get the same answer), but the terminal was told 00 and the issuer did not
     * post it: its journal record is marked with the code and it is counted in
     * {@value #ADVICE_DECLINED_METRIC}, for operations to settle with the issuer. No answer (the
     * link's failure) or 91/96 waits for a retry and stops the issuer's round; a failure of the
     * entry's own (it could not be built or written) waits for a retry alone.
     */
    private CompletableFuture<IssuerDrain.Delivered> deliver(IssuerLink link, SafEntry entry, CompletableFuture<IssuerResponse> answer) {
        return answer.handle(AttemptOutcome::of).thenCompose(attempt -> {
            if (attempt.nodeFailure() != null) {
                return dataKeyUnavailable(link.issuerId(), entry, attempt.nodeFailure());
            }
            if (attempt.ownFailure() != null) {
                return failedAlone(entry, attempt.ownFailure());
            }
            String code = attempt.code();
            if (code == null) {
                Instant next = clock.instant().plus(backoff(entry.attempts()));
                return finishing(() -> queue.retryLater(entry, next, attempt.retryReason()))
                        .thenApply(ok -> IssuerDrain.Delivered.FAILED);
            }
            String declined = entry.request().kind() == SafKind.ADVICE && !ResponseCodes.isApproval(code) ? code : null;
            return finishing(() -> acknowledger.acknowledge(entry, declined).thenApply(first -> {
                if (declined != null && first) {
                    adviceDeclined(link.issuerId(), declined);
                }
                return first;
            })).thenApply(ok -> ok ? IssuerDrain.Delivered.ACKNOWLEDGED : IssuerDrain.Delivered.FAILED);
        });
    }

    /**
     * This node cannot decrypt {@code entry}'s card because of a data key; counted in
     * {@value #DATA_KEY_METRIC} and logged at ERROR once per run of such failures (key check values
     * only), with no retry stop either way, so nothing is abandoned for it:
     * <ul>
     *   <li>the card is under another data key than this node's (a rotation, a node with another
     *       key wrote it): only the entries under that key fail, so this one is
     *       {@linkplain StoreAndForwardQueue#setAside set aside} alone for its backoff and the
     *       round goes on with the entries behind it (a node holding that key may claim it);</li>
     *   <li>this node's own data key does not work: every entry would fail alike, so the entry waits
     *       as after a failure of the link, holding the issuer's queue behind it until the key is mended.</li>
     * </ul>
     */
    private CompletableFuture<IssuerDrain.Delivered> dataKeyUnavailable(String issuerId, SafEntry entry,
                                                                        DataKeyUnavailableException failure) {
        String reason = DATA_KEY_UNAVAILABLE + ": " + failure.getMessage();
        boolean alone = failure.foreignKey();
        if (!(alone ? StoreAndForwardQueue.SET_ASIDE + reason : reason).equals(entry.lastError())) {
            LOG.error("store-and-forward: {} {} (queue entry {}, journal record {}) to issuer {} cannot be built: {}; {}",
                    entry.request().kind(), entry.request().messageType(), entry.id(), entry.original().id(), issuerId, reason,
                    alone ? "it is set aside (no retry stop), the entries behind it go on; a node holding that key can send it"
                            : "the issuer's queue waits until this node's data key is mended");
        }
        if (registry != null) {
            dataKeyCounter(issuerId).increment();
        }
        Instant next = clock.instant().plus(backoff(entry.attempts()));
        if (alone) {
            return finishing(() -> queue.setAside(entry, next, reason))
                    .thenApply(ok -> ok ? IssuerDrain.Delivered.FAILED_ALONE : IssuerDrain.Delivered.FAILED);
        }
        return finishing(() -> queue.retryLater(entry, next, reason)).thenApply(ok -> IssuerDrain.Delivered.FAILED);
    }

    /**
     * {@code entry} failed on its own: it waits for its retry without holding the entries behind it
     * (the queue's {@code retryAlone}), and the round goes on. Said once per run of such failures;
     * only the failure's type, since its message could name what the entry holds.
     */
    private CompletableFuture<IssuerDrain.Delivered> failedAlone(SafEntry entry, Throwable failure) {
        String reason = CANNOT_BUILD + " (" + failure.getClass().getSimpleName() + ")";
        if (!reason.equals(entry.lastError())) {
            LOG.warn("store-and-forward: {} {} (queue entry {}, journal record {}) to issuer {}: {};"
                            + " it waits for its retry, the entries behind it go on", entry.request().kind(), entry.request().messageType(),
                    entry.id(), entry.original().id(), entry.request().issuerId(), reason);
        }
        Instant next = clock.instant().plus(backoff(entry.attempts()));
        return finishing(() -> queue.retryAlone(entry, next, reason))
                .thenApply(ok -> ok ? IssuerDrain.Delivered.FAILED_ALONE : IssuerDrain.Delivered.FAILED);
    }

    private void adviceDeclined(String issuerId, String code) {
        // an operator's matter, not a failure of the switch: the issuer has its reasons (a blocked card)
        LOG.warn("issuer {} declined an advice ({}): the terminal was approved, the issuer did not post it", issuerId, code);
        if (registry != null) {
            adviceDeclinedCounter(issuerId).increment();
        }
    }

    private io.micrometer.core.instrument.Counter adviceDeclinedCounter(String issuerId) {
        return io.micrometer.core.instrument.Counter.builder(ADVICE_DECLINED_METRIC)
                .description("Advices the issuer acknowledged with a decline: approved to a terminal, not posted")
                .tag("issuer", issuerId).register(registry);
    }

    private io.micrometer.core.instrument.Counter dataKeyCounter(String issuerId) {
        return io.micrometer.core.instrument.Counter.builder(DATA_KEY_METRIC)
                .description("Store-and-forward attempts that failed because this node's data key cannot decrypt the card")
                .tag("issuer", issuerId).register(registry);
    }

    private io.micrometer.core.instrument.Counter writeRetries() {
        return io.micrometer.core.instrument.Counter.builder(WRITE_RETRIES_METRIC)
                .description("Store-and-forward queue writes the database refused after an attempt, retried next round")
                .register(registry);
    }

    static Duration backoff(int attempts) {
        long seconds = FIRST_RETRY.toSeconds() << Math.min(Math.max(attempts - 1, 0), 16);
        return seconds > MAX_RETRY.toSeconds() ? MAX_RETRY : Duration.ofSeconds(seconds);
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
