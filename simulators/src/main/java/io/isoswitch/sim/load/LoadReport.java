package io.isoswitch.sim.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The result of a run: throughput over the measured window, latency percentiles, answers by
 * response code, timeouts and errors. Latency is from due time (see {@link LoadStats}); service
 * time is from the actual send; both in milliseconds. {@code answeredAllPhases} counts the warm-up's
 * and the drain's answers too (to divide a server's CPU time by); {@code generatorCpuMicrosPerAnswer}
 * is the generator's own process CPU time over the run per answer, to see whether it was the bottleneck.
 * Two parts of it say where that time went: {@code eventLoopCpuMicrosPerAnswer}, its event loops'
 * CPU over the run per answer (what sending and answering costs; the rest is start-up, the JIT
 * compilers and the GC, fixed costs that a slow target's few answers make look large per answer),
 * and {@code generatorCpuMicrosPerMeasuredAnswer}, the process CPU between the first and the last
 * progress line of the measured window per answer in between (what competed with the target while
 * it was measured; 0 when the window had no whole second).
 */
public record LoadReport(String target, String dialect, String mode, int connections, int inFlightPerConnection,
        String mix, double warmupSeconds, double seconds, long sent, long answered, double throughputPerSecond,
        Percentiles latencyMs, Percentiles serviceTimeMs, Map<String, Long> responseCodes, long timeouts,
        Map<LoadError, Long> errors, long answeredAllPhases, double generatorCpuMicrosPerAnswer,
        double eventLoopCpuMicrosPerAnswer, double generatorCpuMicrosPerMeasuredAnswer) {

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /** Percentiles of a histogram in milliseconds (recorded in microseconds). */
    public record Percentiles(long count, double p50, double p90, double p99, double p999, double max, double mean) {
        static Percentiles of(Histogram micros) {
            if (micros.getTotalCount() == 0) {
                return new Percentiles(0, 0, 0, 0, 0, 0, 0);
            }
            return new Percentiles(micros.getTotalCount(), ms(micros.getValueAtPercentile(50)),
                    ms(micros.getValueAtPercentile(90)), ms(micros.getValueAtPercentile(99)),
                    ms(micros.getValueAtPercentile(99.9)), ms(micros.getMaxValue()), micros.getMean() / 1000.0);
        }

        private static double ms(long micros) {
            return micros / 1000.0;
        }
    }

    /** Timeouts plus every other error. */
    public long errorCount() {
        return timeouts + errors.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The report as people read it. */
    public String text() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "target %s  dialect %s  %s  connections %d (in flight <= %d each)  mix %s%n",
                target, dialect, mode, connections, inFlightPerConnection, mix));
        out.append(String.format(Locale.ROOT, "measured %.1f s after %.1f s warm-up: %,d sent, %,d answered, %,.0f per second%n",
                seconds, warmupSeconds, sent, answered, throughputPerSecond));
        out.append(line("latency (ms)", latencyMs));
        out.append(line("service (ms)", serviceTimeMs));
        out.append("response codes:");
        responseCodes.forEach((code, count) -> out.append(String.format(Locale.ROOT, "  %s %,d", code, count)));
        out.append(String.format(Locale.ROOT, "%ngenerator CPU %.1f us per answer (event loops %.1f; measured window %.1f)",
                generatorCpuMicrosPerAnswer, eventLoopCpuMicrosPerAnswer, generatorCpuMicrosPerMeasuredAnswer));
        out.append(String.format(Locale.ROOT, "%ntimeouts %,d", timeouts));
        errors.forEach((error, count) -> out.append(String.format(Locale.ROOT, "  %s %,d",
                error.name().toLowerCase(Locale.ROOT), count)));
        return out.append(System.lineSeparator()).toString();
    }

    private static String line(String name, Percentiles p) {
        return String.format(Locale.ROOT, "%s: p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f  mean %.3f%n", name,
                p.p50(), p.p90(), p.p99(), p.p999(), p.max(), p.mean());
    }

    public String json() {
        return JSON.writeValueAsString(this);
    }

    public void writeJson(Path file) {
        try {
            Files.writeString(file, json());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
