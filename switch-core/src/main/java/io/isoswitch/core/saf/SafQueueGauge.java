package io.isoswitch.core.saf;

import io.isoswitch.settlement.saf.SafSummary;
import io.isoswitch.settlement.saf.StoreAndForwardQueue;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gauges {@value #NAME} (store-and-forward entries not yet delivered) and {@value #OLDEST} (how
 * long the oldest of them has waited), tag {@code issuer}, per configured issuer; and the same
 * summary with each queue's head for {@code GET /ops/saf} ({@link SafEndpoint}). They are database
 * queries, so they are refreshed every {@value #REFRESH_SECONDS} s off the event loops and readers
 * get the last answer: a scrape never waits for the database. The queue is shared by every node,
 * so every node shows the same.
 */
public final class SafQueueGauge implements AutoCloseable {
    public static final String NAME = "switch.saf.queue";
    public static final String OLDEST = "switch.saf.oldest.age";
    static final long REFRESH_SECONDS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(SafQueueGauge.class);

    private final StoreAndForwardQueue queue;
    private final List<String> issuers;
    private final Clock clock;
    private final Map<String, SafSummary> last = new ConcurrentHashMap<>();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("saf-gauge").daemon().factory());

    public SafQueueGauge(StoreAndForwardQueue queue, List<String> issuers, MeterRegistry registry, Clock clock) {
        this.queue = queue;
        this.issuers = List.copyOf(issuers);
        this.clock = clock;
        for (String issuer : this.issuers) {
            last.put(issuer, SafSummary.empty(issuer));
            Gauge.builder(NAME, last, l -> l.get(issuer).pending()).description("Store-and-forward entries waiting for delivery")
                    .tag("issuer", issuer).register(registry);
            Gauge.builder(OLDEST, last, l -> ageSeconds(l.get(issuer)))
                    .description("How long the oldest store-and-forward entry has waited (0 when none waits)")
                    .baseUnit("seconds").tag("issuer", issuer).register(registry);
        }
    }

    public void start() {
        thread.scheduleWithFixedDelay(this::refresh, 0, REFRESH_SECONDS, TimeUnit.SECONDS);
    }

    /** The last summary of each configured issuer's queue, in configuration order. */
    public List<SafSummary> summaries() {
        List<SafSummary> summaries = new ArrayList<>(issuers.size());
        for (String issuer : issuers) {
            summaries.add(last.get(issuer));
        }
        return summaries;
    }

    private double ageSeconds(SafSummary summary) {
        return summary.oldestCreatedAt() == null ? 0
                : Math.max(0, Duration.between(summary.oldestCreatedAt(), clock.instant()).toMillis() / 1000.0);
    }

    private void refresh() {
        for (String issuer : issuers) {
            try {
                last.put(issuer, queue.summary(issuer).get(REFRESH_SECONDS, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                LOG.debug("store-and-forward summary of {} not refreshed: {}", issuer, e.toString());
            }
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
