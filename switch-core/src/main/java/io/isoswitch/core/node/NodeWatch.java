package io.isoswitch.core.node;

import io.isoswitch.core.pipeline.UnknownOutcomes;
import io.isoswitch.core.txn.TransactionType;
import io.isoswitch.settlement.journal.CrashRecovery;
import io.isoswitch.settlement.journal.JournalEntry;
import io.isoswitch.settlement.journal.NodeLeases;
import io.isoswitch.settlement.journal.RecoveryReport;
import io.isoswitch.settlement.saf.SafRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the requests of every node resolved while the switch runs, not only at a node's start.
 * Every {@link #ROUND_MS}, on its own thread:
 *
 * <ol>
 *   <li>renews this node's lease ({@link NodeLeases});
 *   <li>reverses the issuer approvals its terminals were answered 96 for because the outcome could
 *       not be written ({@link UnknownOutcomes}), once the journal takes writes again;
 *   <li>resolves this node's records still SENT after {@code staleAfter} (longer than any request
 *       waits for its issuer): the issuer was asked, and the outcome could not be written (the
 *       journal refused or timed out, typically when the database is overloaded). Nothing else
 *       would ever pick such a record up while the node lives, and the issuer may have debited
 *       while the terminal was answered 96: a reversal is queued for it;
 *   <li>takes over every node whose lease expired: its SENT records get their reversals (once,
 *       whichever surviving node gets there first) and its store-and-forward leases are freed.
 * </ol>
 *
 * <p>A record resolved here whose answer turns up after all is safe: outcomes are written only
 * while a record is SENT, so the late answer is journaled as late and the terminal gets 91.
 */
public final class NodeWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeWatch.class);
    /** How often the lease is renewed and SENT records looked at. */
    public static final long ROUND_MS = 2_000;
    /** A node silent this long is dead: several rounds missed, not one slow commit. */
    public static final Duration LEASE = Duration.ofSeconds(15);
    /** Beyond the longest issuer timeout, the time a journal write may queue before it is given up. */
    public static final Duration STALE_MARGIN = Duration.ofSeconds(30);

    private final NodeLeases leases;
    private final CrashRecovery recovery;
    private final String nodeId;
    private final Duration staleAfter;
    private final Clock clock;
    private final Runnable deliverQueuedSoon;
    private final UnknownOutcomes unknownOutcomes;
    private final java.util.function.Consumer<List<io.isoswitch.settlement.journal.JournalEntry>> resolvedFromDead;
    private final java.util.function.Consumer<String> tookOverNode;
    private final AtomicBoolean roundRunning = new AtomicBoolean();
    /** Whether the last lease renewal reached the database (readiness: see {@link #leaseRenewed}). */
    private volatile boolean leaseRenewed = true;
    private final BooleanSupplier issuersReachable;
    /** Whether another live node reached an issuer at its last renewal, as this node's last renewal read it. */
    private volatile boolean peerReachesIssuers;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("node-watch").daemon().factory());

    /**
     * @param staleAfter        how old a SENT record of this node must be to be resolved here
     * @param deliverQueuedSoon nudges store-and-forward after reversals were queued
     * @param unknownOutcomes   approvals answered 96 because their outcome could not be written
     * @param issuersReachable  whether this node has an issuer link up, recorded at each renewal
     * @param resolvedFromDead  told of the records each take-over of a dead node resolved (their
     *                          requests died with that node: what they counted is given back there)
     * @param tookOverNode      told of each dead node taken over, by id (what else its process held
     *                          is given back there)
     */
    public NodeWatch(NodeLeases leases, CrashRecovery recovery, String nodeId, Duration staleAfter, Clock clock,
                     Runnable deliverQueuedSoon, UnknownOutcomes unknownOutcomes, BooleanSupplier issuersReachable,
                     java.util.function.Consumer<List<io.isoswitch.settlement.journal.JournalEntry>> resolvedFromDead,
                     java.util.function.Consumer<String> tookOverNode) {
        this.issuersReachable = issuersReachable;
        this.resolvedFromDead = resolvedFromDead;
        this.tookOverNode = tookOverNode;
        this.unknownOutcomes = unknownOutcomes;
        if (staleAfter.isNegative() || staleAfter.isZero()) {
            throw new IllegalArgumentException("staleAfter: expected > 0, found " + staleAfter);
        }
        this.leases = leases;
        this.recovery = recovery;
        this.nodeId = nodeId;
        this.staleAfter = staleAfter;
        this.clock = clock;
        this.deliverQueuedSoon = deliverQueuedSoon;
    }

    /** The SENT records longer than every issuer's request timeout plus {@link #STALE_MARGIN}. */
    public static Duration staleAfter(long longestRequestTimeoutMs) {
        return Duration.ofMillis(longestRequestTimeoutMs).plus(STALE_MARGIN);
    }

    /** What needs a reversal among records left SENT: money-moving requests that reached an issuer leg. */
    public static Optional<SafRequest> reversalFor(JournalEntry entry) {
        TransactionType type = TransactionType.valueOf(entry.request().transactionType());
        return type.reversedOnTimeout() && entry.request().issuer() != null
                ? Optional.of(SafRequest.reversal(entry.request().issuer().issuerId(), "68",
                        entry.request().amountMinor(), entry.request().currency()))
                : Optional.empty();
    }

    /** Renews the lease now (waiting for it), then keeps renewing it and looking, every {@link #ROUND_MS}. */
    public void start() {
        peerReachesIssuers = renew().join();
        thread.scheduleWithFixedDelay(this::round, ROUND_MS, ROUND_MS, TimeUnit.MILLISECONDS);
    }

    /** One round, as the schedule runs it; completes when done (a failure is logged, the next round tries again). */
    public CompletableFuture<Void> round() {
        if (!roundRunning.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done;
        try {
            done = renew()
                    .whenComplete((peers, failure) -> {
                        leaseRenewed = failure == null;
                        if (failure == null) {
                            peerReachesIssuers = peers;
                        }
                    })
                    .exceptionally(failure -> {
                        LOG.warn("node {}: lease renewal failed: {}", nodeId, failure.toString());
                        return null;
                    })
                    .thenCompose(renewed -> unknownOutcomes.reverseOwed())
                    .thenAccept(this::reversedOwed)
                    .thenCompose(owed -> recovery.resolveUnanswered(nodeId, clock.instant().minus(staleAfter),
                            NodeWatch::reversalFor))
                    .thenAccept(this::resolvedStale)
                    .thenCompose(resolved -> leases.takeOverDead(nodeId, NodeWatch::reversalFor))
                    .thenAccept(this::tookOver);
        } catch (RuntimeException e) {
            done = CompletableFuture.failedFuture(e);
        }
        return done.whenComplete((ignored, failure) -> {
            if (failure != null) {
                LOG.warn("node {}: watch round failed: {}", nodeId, failure.toString());
            }
            roundRunning.set(false);
        }).exceptionally(failure -> null);
    }

    /**
     * Whether this node's last lease renewal (every {@link #ROUND_MS}) reached the database. False
     * means the node cannot reach its database however quiet it is (sign-ons and echoes write no
     * journal record, so the journal's own check would stay up while every transaction would get
     * 96), and past {@link #LEASE} the other nodes take its work over: it must not be sent traffic.
     */
    public boolean leaseRenewed() {
        return leaseRenewed;
    }

    /**
     * Whether another live node had an issuer link up at its last renewal: a node with none of its
     * own should then leave the pool ({@code /ready}) so that its terminals go where their requests
     * reach the issuer. When no node reaches one, every node stays: they all answer alike (stand-in
     * where configured, 91 otherwise), and a pool with no node left would refuse every terminal.
     */
    public boolean peerReachesIssuers() {
        return peerReachesIssuers;
    }

    private CompletableFuture<Boolean> renew() {
        return leases.renew(nodeId, LEASE, issuersReachable.getAsBoolean());
    }

    private void reversedOwed(int reversals) {
        if (reversals > 0) {
            LOG.warn("node {}: {} approval(s) answered 96 (their outcome could not be written) are reversed", nodeId, reversals);
            deliverQueuedSoon.run();
        }
    }

    private void resolvedStale(RecoveryReport report) {
        if (report.total() > 0) {
            LOG.warn("node {}: {} record(s) stayed SENT beyond {} (their outcome was never written): {} reversal(s) queued,"
                    + " {} timed out", nodeId, report.total(), staleAfter, report.reversalQueued().size(), report.timedOut().size());
            deliverQueuedSoon.run();
        }
    }

    private void tookOver(List<NodeLeases.TakeOver> takeOvers) {
        for (NodeLeases.TakeOver takeOver : takeOvers) {
            LOG.warn("node {}: took over dead node {}: {} reversal(s) queued, {} timed out, {} store-and-forward lease(s) freed",
                    nodeId, takeOver.deadNodeId(), takeOver.resolved().reversalQueued().size(), takeOver.resolved().timedOut().size(),
                    takeOver.safLeasesReleased());
            List<io.isoswitch.settlement.journal.JournalEntry> resolved = new java.util.ArrayList<>(takeOver.resolved().reversalQueued());
            resolved.addAll(takeOver.resolved().timedOut());
            if (!resolved.isEmpty()) {
                resolvedFromDead.accept(resolved);
            }
            try {
                tookOverNode.accept(takeOver.deadNodeId());
            } catch (RuntimeException e) {
                // the dead node's own start, or the next take-over, tries again
                LOG.warn("node {}: what dead node {} held could not all be given back: {}", nodeId, takeOver.deadNodeId(), e.toString());
            }
        }
        if (!takeOvers.isEmpty()) {
            deliverQueuedSoon.run();
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
