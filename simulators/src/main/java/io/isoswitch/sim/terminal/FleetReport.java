package io.isoswitch.sim.terminal;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What a fleet run came to: transactions by response code and by outcome, latency percentiles
 * (request sent to answer read, per transaction), wall time and throughput.
 *
 * @param transactions    transactions made
 * @param byResponseCode  count per field 39 ({@code --} for none)
 * @param byOutcome       count per outcome
 * @param latency         latencies in microseconds
 * @param elapsed         wall time of the run
 * @param errors          terminals that stopped on an error before their last transaction
 */
public record FleetReport(long transactions, Map<String, Long> byResponseCode, Map<TerminalResult.Outcome, Long> byOutcome,
        Histogram latency, Duration elapsed, long errors) {

    public FleetReport {
        byResponseCode = Map.copyOf(byResponseCode);
        byOutcome = Map.copyOf(byOutcome);
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(elapsed, "elapsed");
    }

    /** Transactions per second over the run. */
    public double throughputPerSecond() {
        return elapsed.isZero() ? 0 : transactions * 1_000_000_000.0 / elapsed.toNanos();
    }

    /** The latency at {@code percentile} (0..100). */
    public Duration latencyAt(double percentile) {
        return Duration.ofNanos(latency.getValueAtPercentile(percentile) * 1_000);
    }

    /** A few lines for people. */
    public String describe() {
        return String.format(java.util.Locale.ROOT,
                "%d transactions in %.1f s (%.0f/s), %d terminal errors%ncodes: %s%noutcomes: %s%n"
                        + "latency: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms",
                transactions, elapsed.toNanos() / 1e9, throughputPerSecond(), errors, new TreeMap<>(byResponseCode),
                new TreeMap<>(byOutcome), millis(50), millis(90), millis(99), millis(100));
    }

    private double millis(double percentile) {
        return latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(percentile) / 1000.0;
    }
}
