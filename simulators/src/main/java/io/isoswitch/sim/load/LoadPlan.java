package io.isoswitch.sim.load;

import io.isoswitch.sim.terminal.TerminalDialect;
import java.time.Duration;
import java.util.Objects;

/**
 * One run of the load generator.
 *
 * @param host          the target's address
 * @param port          the target's port
 * @param dialect       what the terminals speak
 * @param connections   terminal connections (one terminal each; echo-only loads may share terminal ids)
 * @param warmup        traffic before measuring (answers not recorded)
 * @param duration      the measured time
 * @param ratePerSecond 0 for closed loop (each connection sends its next request when an answer
 *                      arrives); otherwise requests per second over all connections, each request
 *                      timed from when it was due (coordinated-omission correction)
 * @param inFlightPerConnection requests a connection keeps outstanding in closed loop, and the most it
 *                      may have outstanding at a fixed rate (a due request waits for a free slot)
 * @param mix           the operations and their weights
 * @param timeout       an unanswered request counts as a timeout after this
 * @param amountMinor   the amount of each purchase, pre-authorization and refund
 * @param stanStart     the first STAN of each terminal (1..999999), so that repeated runs against
 *                      one journal are not answered as repeats
 * @param eventLoopThreads the generator's I/O threads
 * @param seed          seeds the draw of operations and cards
 * @param signOn        whether terminals sign on for their keys before card transactions; without,
 *                      they make up their own keys and send the same work (PIN blocks, MACs) to a
 *                      host that checks neither, as the jPOS yardstick
 * @param requests      closed loop only: the measured window ends once this many requests were sent
 *                      over all connections, or when {@code duration} is over if that comes first;
 *                      0 for no such bound. A run that must reach a volume (a test, a fixed amount
 *                      of work to compare) is then bounded by work, whatever the machine's speed
 */
public record LoadPlan(String host, int port, TerminalDialect dialect, int connections, Duration warmup,
        Duration duration, int ratePerSecond, int inFlightPerConnection, LoadMix mix, Duration timeout,
        long amountMinor, int stanStart, int eventLoopThreads, long seed, boolean signOn, long requests) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final long DEFAULT_AMOUNT_MINOR = 100;
    /** At a fixed rate, as many as the switch lets a connection have in flight by default. */
    public static final int DEFAULT_FIXED_RATE_IN_FLIGHT = 64;

    public LoadPlan {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port: expected 1..65535, found " + port);
        }
        Objects.requireNonNull(dialect, "dialect");
        if (connections < 1) {
            throw new IllegalArgumentException("connections: expected >= 1, found " + connections);
        }
        if (warmup.isNegative()) {
            throw new IllegalArgumentException("warmup: expected >= 0, found " + warmup);
        }
        if (!duration.isPositive()) {
            throw new IllegalArgumentException("duration: expected > 0, found " + duration);
        }
        if (ratePerSecond < 0) {
            throw new IllegalArgumentException("rate: expected >= 0 (0 = closed loop), found " + ratePerSecond);
        }
        if (inFlightPerConnection < 1) {
            throw new IllegalArgumentException("inFlightPerConnection: expected >= 1, found " + inFlightPerConnection);
        }
        Objects.requireNonNull(mix, "mix");
        if (!timeout.isPositive()) {
            throw new IllegalArgumentException("timeout: expected > 0, found " + timeout);
        }
        if (amountMinor < 1) {
            throw new IllegalArgumentException("amountMinor: expected >= 1, found " + amountMinor);
        }
        if (stanStart < 1 || stanStart > 999_999) {
            throw new IllegalArgumentException("stanStart: expected 1..999999, found " + stanStart);
        }
        if (eventLoopThreads < 1) {
            throw new IllegalArgumentException("eventLoopThreads: expected >= 1, found " + eventLoopThreads);
        }
        if (requests < 0) {
            throw new IllegalArgumentException("requests: expected >= 0 (0 = bounded by duration only), found " + requests);
        }
        if (requests > 0 && ratePerSecond > 0) {
            // at a fixed rate the schedule says what is due; a count would leave slots neither sent nor missed
            throw new IllegalArgumentException("requests: a fixed-rate run is bounded by its duration, found " + requests);
        }
    }

    /** A plan bounded by its duration only. */
    public LoadPlan(String host, int port, TerminalDialect dialect, int connections, Duration warmup, Duration duration,
            int ratePerSecond, int inFlightPerConnection, LoadMix mix, Duration timeout, long amountMinor, int stanStart,
            int eventLoopThreads, long seed, boolean signOn) {
        this(host, port, dialect, connections, warmup, duration, ratePerSecond, inFlightPerConnection, mix, timeout,
                amountMinor, stanStart, eventLoopThreads, seed, signOn, 0);
    }

    /** A closed-loop plan with one request in flight per connection and the defaults elsewhere. */
    public static LoadPlan closedLoop(String host, int port, TerminalDialect dialect, int connections, Duration warmup,
            Duration duration, LoadMix mix) {
        return new LoadPlan(host, port, dialect, connections, warmup, duration, 0, 1, mix, DEFAULT_TIMEOUT,
                DEFAULT_AMOUNT_MINOR, 1, 1, 1, true);
    }

    public boolean fixedRate() {
        return ratePerSecond > 0;
    }

    public LoadPlan withRate(int rate, int inFlight) {
        return new LoadPlan(host, port, dialect, connections, warmup, duration, rate, inFlight, mix, timeout, amountMinor,
                stanStart, eventLoopThreads, seed, signOn, requests);
    }

    public LoadPlan withTimeout(Duration newTimeout) {
        return new LoadPlan(host, port, dialect, connections, warmup, duration, ratePerSecond, inFlightPerConnection, mix,
                newTimeout, amountMinor, stanStart, eventLoopThreads, seed, signOn, requests);
    }

    public LoadPlan withInFlight(int inFlight) {
        return new LoadPlan(host, port, dialect, connections, warmup, duration, ratePerSecond, inFlight, mix, timeout,
                amountMinor, stanStart, eventLoopThreads, seed, signOn, requests);
    }

    public LoadPlan withoutSignOn() {
        return new LoadPlan(host, port, dialect, connections, warmup, duration, ratePerSecond, inFlightPerConnection, mix,
                timeout, amountMinor, stanStart, eventLoopThreads, seed, false, requests);
    }

    public LoadPlan withStanStart(int start) {
        return new LoadPlan(host, port, dialect, connections, warmup, duration, ratePerSecond, inFlightPerConnection, mix,
                timeout, amountMinor, start, eventLoopThreads, seed, signOn, requests);
    }

    /** The same plan, whose measured window ends once {@code count} requests were sent (closed loop). */
    public LoadPlan withRequests(long count) {
        return new LoadPlan(host, port, dialect, connections, warmup, duration, ratePerSecond, inFlightPerConnection, mix,
                timeout, amountMinor, stanStart, eventLoopThreads, seed, signOn, count);
    }
}
