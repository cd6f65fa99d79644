package io.isoswitch.core.saf;

import io.isoswitch.settlement.saf.StoreAndForwardQueue;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gauge {@value #NAME} (tag {@code issuer}): store-and-forward entries not yet delivered, per
 * configured issuer. The count is a database query, so it is refreshed every
 * {@value #REFRESH_SECONDS} s off the event loops and the gauge reads the last answer: a scrape
 * never waits for the database. The queue is shared by every node, so every node shows the same.
 */
public final class SafQueueGauge implements AutoCloseable {
    public static final String NAME = "switch.saf.queue";
    static final long REFRESH_SECONDS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(SafQueueGauge.class);

    private final StoreAndForwardQueue queue;
    private final List<String> issuers;
    private final Map<String, Integer> depth = new ConcurrentHashMap<>();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("saf-gauge").daemon().factory());

    public SafQueueGauge(StoreAndForwardQueue queue, List<String> issuers, MeterRegistry registry) {
        this.queue = queue;
        this.issuers = List.copyOf(issuers);
        for (String issuer : this.issuers) {
            depth.put(issuer, 0);
            Gauge.builder(NAME, depth, d -> d.getOrDefault(issuer, 0)).description("Store-and-forward entries waiting for delivery")
                    .tag("issuer", issuer).register(registry);
        }
    }

    public void start() {
        thread.scheduleWithFixedDelay(this::refresh, 0, REFRESH_SECONDS, TimeUnit.SECONDS);
    }

    private void refresh() {
        for (String issuer : issuers) {
            try {
                CompletableFuture<Integer> size = queue.pending(issuer).thenApply(List::size);
                depth.put(issuer, size.get(REFRESH_SECONDS, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                LOG.debug("store-and-forward depth of {} not refreshed: {}", issuer, e.toString());
            }
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
