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
