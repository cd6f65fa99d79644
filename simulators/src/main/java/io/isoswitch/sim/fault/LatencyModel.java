package io.isoswitch.sim.fault;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/** How long a peer waits before answering; sampled from the injector's seeded generator. */
public sealed interface LatencyModel {

    /** One delay. */
    Duration sample(RandomGenerator random);

    /** No added delay. */
    static LatencyModel none() {
        return new Fixed(Duration.ZERO);
    }

    /** Log-normal samples are cut here unless a cap is given. */
    Duration DEFAULT_LOG_NORMAL_CAP = Duration.ofMinutes(1);

    /**
     * Parses the command line's form, in milliseconds: {@code none}, {@code fixed:20},
     * {@code uniform:5-50}, {@code lognormal:20,0.5} (median and sigma).
     */
    static LatencyModel parse(String text) {
        String spec = text.strip();
        try {
            if (spec.equals("none")) {
                return none();
            }
            if (spec.startsWith("fixed:")) {
                return new Fixed(Duration.ofMillis(Long.parseLong(spec.substring(6))));
            }
            if (spec.startsWith("uniform:")) {
                String[] bounds = spec.substring(8).split("-", 2);
                return new Uniform(Duration.ofMillis(Long.parseLong(bounds[0])), Duration.ofMillis(Long.parseLong(bounds[1])));
            }
            if (spec.startsWith("lognormal:")) {
                String[] parts = spec.substring(10).split(",", 2);
                return new LogNormal(Duration.ofMillis(Long.parseLong(parts[0])), Double.parseDouble(parts[1]),
                        DEFAULT_LOG_NORMAL_CAP);
            }
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("latency: expected none, fixed:MS, uniform:MIN-MAX or lognormal:MEDIAN,SIGMA,"
                    + " found '" + text + "'", e);
        }
        throw new IllegalArgumentException("latency: expected none, fixed:MS, uniform:MIN-MAX or lognormal:MEDIAN,SIGMA,"
                + " found '" + text + "'");
    }

    /** Always {@code delay}. */
    record Fixed(Duration delay) implements LatencyModel {
        public Fixed {
            requireNonNegative(delay, "delay");
        }

        @Override
        public Duration sample(RandomGenerator random) {
            return delay;
        }
    }

    /** Uniform between {@code min} and {@code max}, inclusive, to the microsecond. */
    record Uniform(Duration min, Duration max) implements LatencyModel {
        public Uniform {
            requireNonNegative(min, "min");
            requireNonNegative(max, "max");
            if (max.compareTo(min) < 0) {
                throw new IllegalArgumentException("max: expected >= min " + min + ", found " + max);
            }
        }

        @Override
        public Duration sample(RandomGenerator random) {
            long minMicros = micros(min);
            long maxMicros = micros(max);
            return Duration.ofNanos(random.nextLong(minMicros, maxMicros + 1) * 1_000);
        }
    }

    /**
     * Log-normal: {@code median * exp(sigma * z)} with z standard normal, cut at {@code cap}. Real
     * hosts' response times look like this: most fast, a long tail.
     */
    record LogNormal(Duration median, double sigma, Duration cap) implements LatencyModel {
        public LogNormal {
            requireNonNegative(median, "median");
            requireNonNegative(cap, "cap");
            if (!(sigma >= 0 && sigma <= 10)) {
                throw new IllegalArgumentException("sigma: expected 0..10, found " + sigma);
            }
        }

        @Override
        public Duration sample(RandomGenerator random) {
            double micros = micros(median) * Math.exp(sigma * random.nextGaussian());
            return Duration.ofNanos(Math.min((long) micros, micros(cap)) * 1_000);
        }
    }

    private static void requireNonNegative(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative()) {
            throw new IllegalArgumentException(name + ": expected >= 0, found " + duration);
        }
    }

    private static long micros(Duration duration) {
        return duration.toNanos() / 1_000;
    }
}
