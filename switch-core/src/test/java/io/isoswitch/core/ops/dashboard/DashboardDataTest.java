package io.isoswitch.core.ops.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.core.metrics.SwitchMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The dashboard's numbers come from the registry: rates between samples, percentiles of the window, live gauges. */
class DashboardDataTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final SwitchMetrics metrics = new SwitchMetrics(registry);
    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }
    };
    private final DashboardHistory history = DashboardHistory.manual(registry, clock, Duration.ofSeconds(2), Duration.ofMinutes(10));
    private final DashboardData data = new DashboardData(registry, history, "node-7");

    private void answer(int count, String code, long millis) {
        for (int i = 0; i < count; i++) {
            metrics.transaction("purchase", "iso87binary", code, "bank-a", Duration.ofMillis(millis).toNanos());
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void throughputAndApprovalRateComeFromCounterDifferencesBetweenSamples() {
        history.sample();
        answer(30, "00", 3);
        answer(10, "51", 3);
        now.addAndGet(2_000);
        history.sample();

        Map<String, Object> snapshot = data.snapshot();
        List<Map<String, Object>> series = (List<Map<String, Object>>) snapshot.get("series");
        Map<String, Object> last = series.getLast();
        assertThat(last.get("tps")).isEqualTo(20.0);
        assertThat(last.get("approvalRate")).isEqualTo(0.75);
        Map<String, Object> minute = (Map<String, Object>) snapshot.get("lastMinute");
        assertThat(minute.get("transactions")).isEqualTo(40L);
        assertThat((Map<String, Long>) minute.get("responseCodes")).containsEntry("00", 30L).containsEntry("51", 10L);
        assertThat(snapshot.get("nodeId")).isEqualTo("node-7");
    }

    /** An echo or a sign-on answered 00 approves nothing: one declined purchase among them is a 0 % approval rate. */
    @Test
    @SuppressWarnings("unchecked")
    void theApprovalRateCountsCardholdersRequestsOnlyNotEchoesSignOnsOrReversals() {
        history.sample();
        answer(1, "55", 3);
        for (String type : List.of("echo", "sign_on", "settlement", "reversal")) {
            metrics.transaction(type, "iso87binary", "00", "none", Duration.ofMillis(1).toNanos());
        }
        now.addAndGet(2_000);
        history.sample();

        Map<String, Object> snapshot = data.snapshot();
        assertThat(((List<Map<String, Object>>) snapshot.get("series")).getLast().get("approvalRate")).isEqualTo(0.0);
        Map<String, Object> minute = (Map<String, Object>) snapshot.get("lastMinute");
        assertThat(minute.get("approvalRate")).isEqualTo(0.0);
        assertThat(minute.get("transactions")).as("every message answered").isEqualTo(5L);
    }

    @Test
    @SuppressWarnings("unchecked")
    void latencyPercentilesAreThoseOfTheWindowNotOfAllTime() {
        answer(100, "00", 900);
        now.addAndGet(120_000);
        history.sample();
        answer(99, "00", 2);
        answer(1, "00", 400);
        now.addAndGet(2_000);
        history.sample();

        Map<String, Object> latency = (Map<String, Object>) ((Map<String, Object>) data.snapshot().get("lastMinute")).get("latencyMs");
        // the 900 ms answers are older than the window; the bucket bounds are Micrometer's, so ranges are asserted
        assertThat((Double) latency.get("p50")).isBetween(2.0, 3.0);
        assertThat((Double) latency.get("p99")).isBetween(2.0, 3.0);
        assertThat((Double) latency.get("p95")).isLessThan(100.0);
    }

    @Test
    @SuppressWarnings("unchecked")
    void gaugesOfOtherPartsAreShownWhenTheyExistAndNullOtherwise() {
        history.sample();
        Map<String, Object> before = data.snapshot();
        assertThat(before.get("businessDate")).isNull();
        assertThat(before.get("safQueueTotal")).isNull();

        Gauge.builder("switch.business.date", () -> 20_261_126).register(registry);
        Gauge.builder("switch.issuer.link.up", () -> 1).tag("issuer", "bank-a").register(registry);
        Gauge.builder(io.isoswitch.core.standin.StandIn.ACTIVE_METRIC, () -> 1).tag("issuer", "bank-a").register(registry);
        Gauge.builder("switch.saf.queue", () -> 3).tag("issuer", "bank-a").register(registry);
        metrics.connections("iso87binary", new AtomicLong(4), AtomicLong::get);

        Map<String, Object> after = data.snapshot();
        assertThat(after.get("businessDate")).isEqualTo("2026-11-26");
        assertThat(after.get("safQueueTotal")).isEqualTo(3L);
        assertThat(after.get("connectionsTotal")).isEqualTo(4L);
        List<Map<String, Object>> issuers = (List<Map<String, Object>>) after.get("issuers");
        assertThat(issuers).singleElement().satisfies(row -> {
            assertThat(row.get("issuer")).isEqualTo("bank-a");
            assertThat(row.get("up")).isEqualTo(true);
            assertThat(row.get("standIn")).isEqualTo(true);
        });
    }

    @Test
    void aBusinessDateGaugeInDaysSinceTheEpochIsReadToo() {
        Gauge.builder("switch.cutover.business_date", () -> 20_418).register(registry);
        assertThat(data.snapshot().get("businessDate")).isEqualTo("2025-11-26");
    }
}
