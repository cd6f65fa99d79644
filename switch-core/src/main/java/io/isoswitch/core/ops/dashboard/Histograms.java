package io.isoswitch.core.ops.dashboard;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Reads the cumulative bucket counts of every timer of one name (all tag combinations merged),
 * and answers percentiles over the window between two such readings, as Prometheus's
 * {@code histogram_quantile} over {@code rate(..._bucket)} does: the upper bound of the bucket the
 * rank falls in.
 */
final class Histograms {
    private Histograms() {
    }

    /**
     * A reading: count, total time, and cumulative counts at each bucket bound (ms).
     *
     * @param count   values recorded since start
     * @param totalMs their total, in milliseconds
     * @param buckets bucket upper bound (ms) to values at or below it since start
     */
    record Reading(long count, double totalMs, NavigableMap<Double, Double> buckets) {
        static final Reading EMPTY = new Reading(0, 0, new TreeMap<>());
    }

    static Reading read(MeterRegistry registry, String name) {
        long count = 0;
        double total = 0;
        NavigableMap<Double, Double> buckets = new TreeMap<>();
        for (Timer timer : registry.find(name).timers()) {
            var snapshot = timer.takeSnapshot();
            count += snapshot.count();
            total += snapshot.total(TimeUnit.MILLISECONDS);
            for (CountAtBucket bucket : snapshot.histogramCounts()) {
                buckets.merge(bucket.bucket(TimeUnit.MILLISECONDS), bucket.count(), Double::sum);
            }
        }
        return new Reading(count, total, buckets);
    }

    /** The {@code quantile} (0..1) of the values recorded between {@code then} and {@code now}, in ms; null without values. */
    static Double quantile(Reading then, Reading now, double quantile) {
        long count = now.count() - then.count();
        if (count <= 0 || now.buckets().isEmpty()) {
            return null;
        }
        double rank = quantile * count;
        for (Map.Entry<Double, Double> bucket : now.buckets().entrySet()) {
            double atOrBelow = bucket.getValue() - then.buckets().getOrDefault(bucket.getKey(), 0.0);
            if (atOrBelow >= rank) {
                return bucket.getKey();
            }
        }
        // above the last bound: the best we can say is "more than the last bound"
        return now.buckets().lastKey();
    }

    /** The mean of the values recorded between the readings, in ms; null without values. */
    static Double mean(Reading then, Reading now) {
        long count = now.count() - then.count();
        return count <= 0 ? null : (now.totalMs() - then.totalMs()) / count;
    }
}
