package io.isoswitch.sim.load;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The counters of a run, written from every event loop without locks: HdrHistogram
 * {@link Recorder}s for latency (microseconds) and adders for the rest. Only requests that were
 * due inside the measured window are counted in the totals; every answer feeds the live view.
 *
 * <p>Latency is measured from when a request was due: in closed loop that is when it was sent; at
 * a fixed rate it is its slot in the schedule, so a request held back (by a full connection or a
 * late event loop) carries the wait in its latency, which is the coordinated-omission correction.
 * Service time, from the actual send, is kept beside it.
 */
public final class LoadStats {
    /** Latencies above a minute are recorded as a minute. */
    static final long MAX_LATENCY_MICROS = TimeUnit.MINUTES.toMicros(1);
    private static final int CODE_SLOTS = 128 * 128;
    private static final int NO_CODE = 0;

    private final Recorder latency = new Recorder(MAX_LATENCY_MICROS, 3);
    private final Recorder service = new Recorder(MAX_LATENCY_MICROS, 3);
    private final Recorder live = new Recorder(MAX_LATENCY_MICROS, 3);
    private final Histogram latencyTotal = new Histogram(MAX_LATENCY_MICROS, 3);
    private final Histogram serviceTotal = new Histogram(MAX_LATENCY_MICROS, 3);
    private final AtomicLongArray codes = new AtomicLongArray(CODE_SLOTS);
    private final LongAdder sent = new LongAdder();
    private final AtomicLong reserved = new AtomicLong();
    private final LongAdder answered = new LongAdder();
    private final LongAdder liveAnswered = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder wakeUps = new LongAdder();
    private final EnumMap<LoadError, LongAdder> errors = new EnumMap<>(LoadError.class);

    public LoadStats() {
        for (LoadError error : LoadError.values()) {
            errors.put(error, new LongAdder());
        }
    }

    /**
     * Takes one measured request out of a run's budget of {@code limit} (0: no budget); false when
     * the budget is spent. Connections on different event loops share it, so it is one atomic count.
     */
    boolean reserve(long limit) {
        return limit == 0 || reserved.getAndIncrement() < limit;
    }

    /** Whether a budget of {@code limit} measured requests (0: none) has been spent. */
    boolean spent(long limit) {
        return limit > 0 && reserved.get() >= limit;
    }

    void sent(boolean measured) {
        if (measured) {
            sent.increment();
        }
    }

    /**
     * An answer with response code {@code c1 c2} ({@code 0, 0} when it had none) to a request due
     * at {@code dueNanos} and sent at {@code sentNanos}.
     */
    void answered(long dueNanos, long sentNanos, long nowNanos, boolean measured, char c1, char c2) {
        long micros = micros(nowNanos - dueNanos);
        live.recordValue(micros);
        liveAnswered.increment();
        if (measured) {
            latency.recordValue(micros);
            service.recordValue(micros(nowNanos - sentNanos));
            answered.increment();
            codes.incrementAndGet(c1 < 128 && c2 < 128 ? c1 * 128 + c2 : NO_CODE);
        }
    }

    /** A connection set a timer to send its next request when due (fixed rate, and the common start). */
    void wakeUpSet() {
        wakeUps.increment();
    }

    /** Timers set by connections so far: at most one per request due and one per connection to start. */
    long wakeUps() {
        return wakeUps.sum();
    }

    void timedOut(boolean measured) {
        if (measured) {
            timeouts.increment();
        }
    }

    void error(LoadError error, long count) {
        errors.get(error).add(count);
    }

    private static long micros(long nanos) {
        return Math.min(MAX_LATENCY_MICROS, Math.max(1, TimeUnit.NANOSECONDS.toMicros(nanos)));
    }

    /** Answers so far (all phases), for the live progress line. */
    long liveAnswered() {
        return liveAnswered.sum();
    }

    /** The latency of the answers since the previous call (all phases). */
    Histogram liveInterval(Histogram reuse) {
        return live.getIntervalHistogram(reuse);
    }

    long errorsSoFar() {
        long sum = timeouts.sum();
        for (LongAdder adder : errors.values()) {
            sum += adder.sum();
        }
        return sum;
    }

    long timeouts() {
        return timeouts.sum();
    }

    long sent() {
        return sent.sum();
    }

    long answered() {
        return answered.sum();
    }

    /** The measured latency (from due time) so far; call from one thread. */
    synchronized Histogram latency() {
        latencyTotal.add(latency.getIntervalHistogram());
        return latencyTotal.copy();
    }

    /** The measured service time (from send) so far; call from one thread. */
    synchronized Histogram serviceTime() {
        serviceTotal.add(service.getIntervalHistogram());
        return serviceTotal.copy();
    }

    /** Answers by response code; {@code --} for answers without field 39. */
    Map<String, Long> byResponseCode() {
        Map<String, Long> out = new TreeMap<>();
        for (int i = 0; i < CODE_SLOTS; i++) {
            long count = codes.get(i);
            if (count > 0) {
                out.put(i == NO_CODE ? "--" : "" + (char) (i / 128) + (char) (i % 128), count);
            }
        }
        return out;
    }

    Map<LoadError, Long> errors() {
        Map<LoadError, Long> out = new EnumMap<>(LoadError.class);
        errors.forEach((error, count) -> out.put(error, count.sum()));
        return out;
    }
}
