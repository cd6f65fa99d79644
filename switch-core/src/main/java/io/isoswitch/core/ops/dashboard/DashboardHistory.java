package io.isoswitch.core.ops.dashboard;

import io.isoswitch.core.txn.TransactionType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The dashboard's memory: a ring of {@link Sample}s taken from the meter registry every
 * {@code interval} on a thread of its own, so that throughput and approval rate over the last
 * minutes can be drawn. The registry stays the one source of truth; this only remembers what it
 * said, the way Prometheus would.
 */
public final class DashboardHistory implements AutoCloseable {
    /** Two seconds: smooth enough to watch, cheap enough to never matter (one registry walk). */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);
    /** Ten minutes of history. */
    public static final Duration DEFAULT_SPAN = Duration.ofMinutes(10);

    static final String TRANSACTIONS = "switch.transactions";
    /** The type tags of cardholders' requests to approve, which the approval rate counts. */
    static final Set<String> CARD_REQUESTS = Arrays.stream(TransactionType.values())
            .filter(TransactionType::asksForApproval).map(TransactionType::tag).collect(Collectors.toUnmodifiableSet());
    static final String TRANSACTION_LATENCY = "switch.transaction.latency";
    static final String JOURNAL_COMMIT_LATENCY = "switch.journal.commit.latency";

    private final MeterRegistry registry;
    private final Clock clock;
    private final int capacity;
    private final Duration interval;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();
    private final ScheduledExecutorService thread;

    private DashboardHistory(MeterRegistry registry, Clock clock, Duration interval, Duration span, boolean scheduled) {
        this.registry = registry;
        this.clock = clock;
        this.interval = interval;
        this.capacity = (int) Math.max(2, span.toMillis() / interval.toMillis() + 1);
        samples.add(Sample.empty(clock.millis()));
        this.thread = scheduled ? Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("dashboard").daemon().factory()) : null;
    }

    /** Samples every {@code interval} until closed. */
    public static DashboardHistory start(MeterRegistry registry, Clock clock, Duration interval, Duration span) {
        DashboardHistory history = new DashboardHistory(registry, clock, interval, span, true);
        history.thread.scheduleAtFixedRate(history::sample, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return history;
    }

    /** A history sampled only when {@link #sample()} is called (tests). */
    static DashboardHistory manual(MeterRegistry registry, Clock clock, Duration interval, Duration span) {
        return new DashboardHistory(registry, clock, interval, span, false);
    }

    public Duration interval() {
        return interval;
    }

    /** Takes one sample now. */
    void sample() {
        long transactions = 0;
        long cardRequests = 0;
        long approved = 0;
        Map<String, Long> codes = new TreeMap<>();
        for (Counter counter : registry.find(TRANSACTIONS).counters()) {
            long count = (long) counter.count();
            String code = counter.getId().getTag("response_code");
            transactions += count;
            if (CARD_REQUESTS.contains(counter.getId().getTag("type"))) {
                // an echo or a sign-on answered 00 approves nothing: counted, they made a quiet
                // switch show a 90 % approval rate for one declined purchase
                cardRequests += count;
                if ("00".equals(code)) {
                    approved += count;
                }
            }
            codes.merge(code == null ? "?" : code, count, Long::sum);
        }
        Sample sample = new Sample(clock.millis(), transactions, cardRequests, approved, codes,
                Histograms.read(registry, TRANSACTION_LATENCY), Histograms.read(registry, JOURNAL_COMMIT_LATENCY));
        synchronized (samples) {
            samples.addLast(sample);
            while (samples.size() > capacity) {
                samples.removeFirst();
            }
        }
    }

    /** The samples, oldest first. */
    List<Sample> samples() {
        synchronized (samples) {
            return new ArrayList<>(samples);
        }
    }

    @Override
    public void close() {
        if (thread != null) {
            thread.shutdownNow();
        }
    }
}
