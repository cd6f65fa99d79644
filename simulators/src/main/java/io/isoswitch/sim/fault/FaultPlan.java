package io.isoswitch.sim.fault;

import java.time.Duration;
import java.util.Objects;

/**
 * How a simulated peer misbehaves. The shares are probabilities per answer of mutually exclusive
 * faults (their sum is at most 1); what is left is answered normally after the latency. Plans are
 * immutable; an injector swaps them while running.
 *
 * @param latency              delay before each answer that is sent
 * @param noAnswerShare        share of requests never answered
 * @param lateAnswerShare      share answered only after {@code lateAnswerDelay}
 * @param lateAnswerDelay      how late a late answer is (set it beyond the switch's timeout)
 * @param dropConnectionShare  share answered by closing the connection
 * @param garbageShare         share answered with random bytes instead of a message
 * @param duplicateAnswerShare share answered twice
 * @param refuseSignOn         whether sign-ons are refused
 * @param damagedShare         share answered with the answer's own bytes damaged (a bit flipped, a byte
 *                             overwritten, inserted or deleted, the tail cut): a message that may still
 *                             decode, with a wrong STAN, response code or field in it
 */
public record FaultPlan(
        LatencyModel latency,
        double noAnswerShare,
        double lateAnswerShare,
        Duration lateAnswerDelay,
        double dropConnectionShare,
        double garbageShare,
        double duplicateAnswerShare,
        boolean refuseSignOn,
        double damagedShare) {

    /** A late answer's default delay: beyond a switch's usual 30 s issuer timeout. */
    public static final Duration DEFAULT_LATE_ANSWER_DELAY = Duration.ofSeconds(35);

    public FaultPlan {
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(lateAnswerDelay, "lateAnswerDelay");
        if (lateAnswerDelay.isNegative()) {
            throw new IllegalArgumentException("lateAnswerDelay: expected >= 0, found " + lateAnswerDelay);
        }
        requireShare(noAnswerShare, "noAnswerShare");
        requireShare(lateAnswerShare, "lateAnswerShare");
        requireShare(dropConnectionShare, "dropConnectionShare");
        requireShare(garbageShare, "garbageShare");
        requireShare(duplicateAnswerShare, "duplicateAnswerShare");
        requireShare(damagedShare, "damagedShare");
        double sum = noAnswerShare + lateAnswerShare + dropConnectionShare + garbageShare + duplicateAnswerShare + damagedShare;
        if (sum > 1.0 + 1e-9) {
            throw new IllegalArgumentException("shares: expected a sum <= 1, found " + sum);
        }
    }

    /** A well-behaved peer. */
    public static FaultPlan none() {
        return new FaultPlan(LatencyModel.none(), 0, 0, DEFAULT_LATE_ANSWER_DELAY, 0, 0, 0, false, 0);
    }

    public FaultPlan withLatency(LatencyModel newLatency) {
        return new FaultPlan(newLatency, noAnswerShare, lateAnswerShare, lateAnswerDelay, dropConnectionShare,
                garbageShare, duplicateAnswerShare, refuseSignOn, damagedShare);
    }

    public FaultPlan withNoAnswerShare(double share) {
        return new FaultPlan(latency, share, lateAnswerShare, lateAnswerDelay, dropConnectionShare, garbageShare,
                duplicateAnswerShare, refuseSignOn, damagedShare);
    }

    public FaultPlan withLateAnswers(double share, Duration delay) {
        return new FaultPlan(latency, noAnswerShare, share, delay, dropConnectionShare, garbageShare,
                duplicateAnswerShare, refuseSignOn, damagedShare);
    }

    public FaultPlan withDropConnectionShare(double share) {
        return new FaultPlan(latency, noAnswerShare, lateAnswerShare, lateAnswerDelay, share, garbageShare,
                duplicateAnswerShare, refuseSignOn, damagedShare);
    }

    public FaultPlan withGarbageShare(double share) {
        return new FaultPlan(latency, noAnswerShare, lateAnswerShare, lateAnswerDelay, dropConnectionShare, share,
                duplicateAnswerShare, refuseSignOn, damagedShare);
    }

    public FaultPlan withDuplicateAnswerShare(double share) {
        return new FaultPlan(latency, noAnswerShare, lateAnswerShare, lateAnswerDelay, dropConnectionShare,
                garbageShare, share, refuseSignOn, damagedShare);
    }

    public FaultPlan withRefuseSignOn(boolean refuse) {
        return new FaultPlan(latency, noAnswerShare, lateAnswerShare, lateAnswerDelay, dropConnectionShare,
                garbageShare, duplicateAnswerShare, refuse, damagedShare);
    }

    public FaultPlan withDamagedShare(double share) {
        return new FaultPlan(latency, noAnswerShare, lateAnswerShare, lateAnswerDelay, dropConnectionShare,
                garbageShare, duplicateAnswerShare, refuseSignOn, share);
    }

    private static void requireShare(double share, String name) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException(name + ": expected 0..1, found " + share);
        }
    }
}
