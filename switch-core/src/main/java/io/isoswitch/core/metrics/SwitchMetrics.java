package io.isoswitch.core.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Every meter the switch exports, named in one place (dot names; Prometheus shows them with
 * underscores). Tags are few and low-cardinality: transaction type, dialect, response code,
 * issuer, listener. Never a PAN, STAN or terminal id.
 *
 * <p>Meters are created once per tag combination and cached, so the hot path does a map lookup,
 * not a registry registration.
 */
public final class SwitchMetrics {
    public static final String TRANSACTIONS = "switch.transactions";
    public static final String TRANSACTION_LATENCY = "switch.transaction.latency";
    public static final String DECODE_ERRORS = "switch.decode.errors";
    public static final String MAC_FAILURES = "switch.mac.failures";
    public static final String MERCHANT_MISMATCHES = "switch.merchant.mismatches";
    public static final String MALFORMED_ICC_DATA = "switch.icc.malformed";
    public static final String INCOMPLETE_FRAMES = "switch.frames.incomplete";
    /** UnionPay script result notifications (0620) acknowledged; tag {@code result}: what DF31 says the scripts did. */
    public static final String SCRIPT_RESULTS = "switch.emv.script.results";
    public static final String CONNECTIONS = "switch.connections";
    public static final String CONNECTIONS_REFUSED = "switch.connections.refused";
    public static final String CONNECTIONS_REFUSED_PER_ADDRESS = "switch.connections.refused.per.address";
    public static final String JOURNAL_BATCH_SIZE = "switch.journal.batch.size";
    public static final String JOURNAL_COMMIT_LATENCY = "switch.journal.commit.latency";
    public static final String IN_FLIGHT = "switch.in.flight";
    /** Terminal reversals acknowledged 00 that named no original they could reverse; tag {@code reason}. */
    public static final String REVERSALS_UNMATCHED = "switch.reversals.unmatched";
    /** The reversal's card is not its named original's (terminal, STAN, date and amount matched). */
    public static final String UNMATCHED_OTHER_CARD = "other_card";
    /** No original of that amount under that STAN and date: another amount, or one never seen (yet). */
    public static final String UNMATCHED_NO_ORIGINAL = "no_original";

    private static final Duration[] LATENCY_SLOS = {
        Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(1)};

    private final MeterRegistry registry;
    private final ConcurrentMap<TransactionKey, Counter> transactions = new ConcurrentHashMap<>();
    private final ConcurrentMap<LatencyKey, Timer> latencies = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> decodeErrors = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> macFailures = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> merchantMismatches = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> malformedIccData = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> incompleteFrames = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> scriptResults = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> refusedConnections = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> refusedForAddress = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> unmatchedReversals = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final DistributionSummary journalBatchSize;
    private final Timer journalCommitLatency;

    public SwitchMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.journalBatchSize = DistributionSummary.builder(JOURNAL_BATCH_SIZE)
                .description("Transactions' records written per database commit (group commit)")
                .baseUnit("records")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        this.journalCommitLatency = Timer.builder(JOURNAL_COMMIT_LATENCY)
                .description("Time from a journal batch's start to its commit")
                .publishPercentileHistogram()
                .register(registry);
        Gauge.builder(IN_FLIGHT, inFlight, java.util.concurrent.atomic.AtomicInteger::get)
                .description("Terminal requests taken and not yet answered")
                .register(registry);
        // at zero from the start, so that rate() sees the first one (see listening)
        unmatchedReversals(UNMATCHED_OTHER_CARD);
        unmatchedReversals(UNMATCHED_NO_ORIGINAL);
    }

    /** A terminal's reversal acknowledged 00 that reversed nothing, for {@code reason} ({@link #UNMATCHED_OTHER_CARD}, ...). */
    public void unmatchedReversal(String reason) {
        unmatchedReversals(reason).increment();
    }

    private Counter unmatchedReversals(String reason) {
        return counter(unmatchedReversals, REVERSALS_UNMATCHED,
                "Terminal reversals acknowledged that named no original they could reverse, by reason",
                "reason", reason);
    }

    /** A terminal request was taken for processing. */
    public void requestStarted() {
        inFlight.incrementAndGet();
    }

    /** A terminal request was answered (or dropped). */
    public void requestFinished() {
        inFlight.decrementAndGet();
    }

    /** One answered transaction: counted by outcome, timed from request read to answer written. */
    public void transaction(String type, String dialect, String responseCode, String issuer, long elapsedNanos) {
        // a plain get first: every answer finds its meters present, and computeIfAbsent locks the
        // bin whenever the key is not its first node
        TransactionKey transactionKey = new TransactionKey(type, dialect, responseCode, issuer);
        Counter counter = transactions.get(transactionKey);
        if (counter == null) {
            counter = transactions.computeIfAbsent(transactionKey, key -> Counter.builder(TRANSACTIONS)
                    .description("Transactions answered, by type, dialect, response code and issuer")
                    .tags("type", key.type(), "dialect", key.dialect(), "response_code", key.responseCode(), "issuer", key.issuer())
                    .register(registry));
        }
        counter.increment();
        LatencyKey latencyKey = new LatencyKey(type, dialect);
        Timer timer = latencies.get(latencyKey);
        if (timer == null) {
            timer = latencies.computeIfAbsent(latencyKey, key -> Timer.builder(TRANSACTION_LATENCY)
                    .description("Time from a request read to its answer written")
                    .tags("type", key.type(), "dialect", key.dialect())
                    .publishPercentileHistogram()
                    .serviceLevelObjectives(LATENCY_SLOS)
                    .register(registry));
        }
        timer.record(elapsedNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Registers a listener's error counters at zero when it starts: a counter that appears only
     * with its first event starts at 1, and Prometheus's {@code rate()} and {@code increase()},
     * which need a sample before the rise, never see that first MAC failure or refused connection.
     */
    public void listening(String listener, String dialect) {
        decodeErrors(dialect);
        incompleteFrames(dialect);
        macFailures(dialect);
        merchantMismatches(dialect);
        iccMalformed(dialect);
        refusedConnections(listener);
        refusedForAddress(listener);
    }

    /** A frame that did not decode (answered 30 where the MTI was readable). */
    public void decodeError(String dialect) {
        decodeErrors(dialect).increment();
    }

    /** A connection closed because a frame it began did not arrive whole within the listener's frame timeout. */
    public void incompleteFrame(String dialect) {
        incompleteFrames(dialect).increment();
    }

    /** A request whose MAC did not verify. */
    public void macFailure(String dialect) {
        macFailures(dialect).increment();
    }

    /** A request whose field 42 names another merchant than its terminal's (answered 03). */
    public void merchantMismatch(String dialect) {
        merchantMismatches(dialect).increment();
    }

    /** A request whose field 55 (EMV chip data) is not well-formed BER-TLV (answered 30). */
    public void malformedIccData(String dialect) {
        iccMalformed(dialect).increment();
    }

    private Counter iccMalformed(String dialect) {
        return counter(malformedIccData, MALFORMED_ICC_DATA, "Terminal requests whose field 55 was not well-formed BER-TLV, by dialect",
                "dialect", dialect);
    }

    /** A script result notification acknowledged: {@code result} is successful, failed, not_performed or unreadable. */
    public void scriptResult(String result) {
        counter(scriptResults, SCRIPT_RESULTS, "UnionPay script result notifications (0620) acknowledged, by what the chip reported",
                "result", result).increment();
    }

    /** A connection closed at accept because its listener was full. */
    public void connectionRefused(String listener) {
        refusedConnections(listener).increment();
    }

    private Counter decodeErrors(String dialect) {
        return counter(decodeErrors, DECODE_ERRORS,
                "Frames that failed to decode, by dialect",
                "dialect", dialect);
    }

    private Counter incompleteFrames(String dialect) {
        return counter(incompleteFrames, INCOMPLETE_FRAMES,
                "Connections closed because a frame begun was not completed within the frame timeout, by dialect",
                "dialect", dialect);
    }

    private Counter macFailures(String dialect) {
        return counter(macFailures, MAC_FAILURES,
                "Requests whose MAC did not verify, by dialect",
                "dialect", dialect);
    }

    private Counter merchantMismatches(String dialect) {
        return counter(merchantMismatches, MERCHANT_MISMATCHES,
                "Requests refused 03 because field 42 named another merchant than the terminal's, by dialect",
                "dialect", dialect);
    }

    /** A connection closed at accept because its remote address held the listener's per-address cap. */
    public void connectionRefusedForAddress(String listener) {
        refusedForAddress(listener).increment();
    }

    private Counter refusedForAddress(String listener) {
        return counter(refusedForAddress, CONNECTIONS_REFUSED_PER_ADDRESS,
                "Connections refused because their remote address held the listener's per-address cap",
                "listener", listener);
    }

    private Counter refusedConnections(String listener) {
        return counter(refusedConnections, CONNECTIONS_REFUSED,
                "Connections refused because the listener was full",
                "listener", listener);
    }

    /** Exposes a listener's open connection count. */
    public <T> void connections(String listener, T source, ToDoubleFunction<T> count) {
        Gauge.builder(CONNECTIONS, source, count).description("Open terminal connections").tag("listener", listener).register(registry);
    }

    /** One journal commit of {@code records} records that took {@code elapsedNanos}. */
    public void journalCommit(int records, long elapsedNanos) {
        journalBatchSize.record(records);
        journalCommitLatency.record(elapsedNanos, TimeUnit.NANOSECONDS);
    }

    /** Registers any other gauge under the switch's naming (queue depths, link states). */
    public void gauge(String name, String description, Supplier<Number> value, String... tags) {
        Gauge.builder(name, value).description(description).tags(tags).register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    private record TransactionKey(String type, String dialect, String responseCode, String issuer) {
    }

    private record LatencyKey(String type, String dialect) {
    }

    /** The counter {@code name} tagged {@code tag} = {@code value}, registered the first time it is asked for. */
    private Counter counter(ConcurrentMap<String, Counter> cache, String name, String description, String tag, String value) {
        return cache.computeIfAbsent(value, v -> Counter.builder(name).description(description).tag(tag, v).register(registry));
    }
}
