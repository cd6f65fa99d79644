package io.isoswitch.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SwitchMetricsTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final SwitchMetrics metrics = new SwitchMetrics(registry);

    @Test
    void transactionsAreCountedByOutcomeAndTimed() {
        metrics.transaction("purchase", "iso87binary", "00", "bank-a", 1_500_000);
        metrics.transaction("purchase", "iso87binary", "00", "bank-a", 2_500_000);
        metrics.transaction("purchase", "iso87binary", "51", "bank-a", 900_000);
        assertThat(registry.get(SwitchMetrics.TRANSACTIONS).tag("response_code", "00").counter().count()).isEqualTo(2.0);
        assertThat(registry.get(SwitchMetrics.TRANSACTIONS).tag("response_code", "51").counter().count()).isEqualTo(1.0);
        assertThat(registry.get(SwitchMetrics.TRANSACTION_LATENCY).timer().count()).isEqualTo(3);
        assertThat(registry.scrape())
                .contains("switch_transactions_total{dialect=\"iso87binary\",issuer=\"bank-a\",response_code=\"00\",type=\"purchase\"} 2.0")
                .contains("switch_transaction_latency_seconds_bucket");
    }

    @Test
    void aListenersErrorCountersExistAtZeroFromItsStartSoThatTheFirstErrorIsARise() {
        metrics.listening("iso87binary-tls", "iso87binary");

        assertThat(registry.scrape())
                .contains("switch_mac_failures_total{dialect=\"iso87binary\"} 0.0")
                .contains("switch_decode_errors_total{dialect=\"iso87binary\"} 0.0")
                .contains("switch_frames_incomplete_total{dialect=\"iso87binary\"} 0.0")
                .contains("switch_icc_malformed_total{dialect=\"iso87binary\"} 0.0")
                .contains("switch_connections_refused_total{listener=\"iso87binary-tls\"} 0.0");
        metrics.macFailure("iso87binary");
        assertThat(registry.get(SwitchMetrics.MAC_FAILURES).tag("dialect", "iso87binary").counter().count()).isEqualTo(1.0);
    }

    @Test
    void noMeterIsTaggedWithCardDataOrPerTerminalValues() {
        metrics.transaction("balance", "cup-pos", "00", "bank-b", 1);
        metrics.decodeError("iso87ascii");
        metrics.macFailure("cup-pos");
        metrics.connectionRefused("iso87binary");
        metrics.connections("iso87binary", new AtomicInteger(3), AtomicInteger::get);
        metrics.journalCommit(12, 2_000_000);
        metrics.unmatchedReversal(SwitchMetrics.UNMATCHED_OTHER_CARD);
        for (Meter meter : registry.getMeters()) {
            assertThat(meter.getId().getTags()).allSatisfy(tag ->
                    assertThat(tag.getKey()).isIn("type", "dialect", "response_code", "issuer", "listener", "reason"));
        }
        assertThat(registry.getMeters()).extracting(m -> m.getId().getName()).contains(
                SwitchMetrics.DECODE_ERRORS, SwitchMetrics.MAC_FAILURES, SwitchMetrics.CONNECTIONS,
                SwitchMetrics.CONNECTIONS_REFUSED, SwitchMetrics.JOURNAL_BATCH_SIZE, SwitchMetrics.JOURNAL_COMMIT_LATENCY,
                SwitchMetrics.REVERSALS_UNMATCHED);
    }

    @Test
    void requestsInFlightAreCountedUntilAnswered() {
        metrics.requestStarted();
        metrics.requestStarted();
        metrics.requestFinished();
        assertThat(registry.get(SwitchMetrics.IN_FLIGHT).gauge().value()).isEqualTo(1.0);
    }

    @Test
    void journalCommitsRecordBatchSizeAndLatency() {
        metrics.journalCommit(10, 1_000_000);
        metrics.journalCommit(30, 3_000_000);
        assertThat(registry.get(SwitchMetrics.JOURNAL_BATCH_SIZE).summary().totalAmount()).isEqualTo(40.0);
        assertThat(registry.get(SwitchMetrics.JOURNAL_COMMIT_LATENCY).timer().count()).isEqualTo(2);
    }
}
