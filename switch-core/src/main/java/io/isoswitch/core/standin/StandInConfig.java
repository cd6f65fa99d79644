package io.isoswitch.core.standin;

import io.isoswitch.core.config.ConfigException;
import io.isoswitch.core.txn.TransactionType;
import java.util.List;
import java.util.Locale;

/**
 * What the switch does for one issuer while that issuer is down (its link is down, too many of its
 * last requests failed, or operations forced stand-in on).
 *
 * @param mode                   {@code decline} (default: every request 91) or {@code approve}
 * @param maxAmountPerCardPerDay the most one card may be approved in stand-in per business day (minor units; 0 = none approved)
 * @param maxCountPerCardPerDay  the most approvals one card may get in stand-in per business day
 * @param types                  the transaction types stand-in may approve ({@code purchase}, {@code preauth});
 *                               default purchase only
 * @param failureRatePercent     the share of the last {@code windowCalls} requests that failed (timeouts,
 *                               lost connections, the issuer's 91 or 96) that puts the issuer in stand-in
 *                               ({@link #DEFAULT_FAILURE_RATE_PERCENT})
 * @param minimumCalls           requests counted before the rate can open the breaker ({@link #DEFAULT_MINIMUM_CALLS})
 * @param windowCalls            how many of the issuer's last requests the rate is taken over
 *                               ({@link #DEFAULT_WINDOW_CALLS}, at most {@value #MAX_WINDOW_CALLS})
 * @param openMs                 how long stand-in lasts after that before one request tries the issuer
 *                               again ({@link #DEFAULT_OPEN_MS})
 * @param maxAmountPerDay        the most stand-in may approve for this issuer per business day, all cards
 *                               together (minor units; null: no cap beyond the cards' own). Counted up only:
 *                               a reversed stand-in approval does not give its share back
 * @param maxCountPerDay         the most approvals stand-in may give for this issuer per business day (null: no cap)
 */
public record StandInConfig(String mode, long maxAmountPerCardPerDay, long maxCountPerCardPerDay, List<String> types,
                            int failureRatePercent, int minimumCalls, int windowCalls, long openMs, Long maxAmountPerDay,
                            Long maxCountPerDay) {
    public static final String DECLINE = "decline";
    public static final String APPROVE = "approve";
    /**
     * Half of the last requests failed: an issuer that drops a connection (every request in flight on
     * it fails at once) or answers a few late is still answering most, and must not be declined for it.
     */
    public static final int DEFAULT_FAILURE_RATE_PERCENT = 50;
    /** Ten requests: two timeouts of the first three after a start say little. */
    public static final int DEFAULT_MINIMUM_CALLS = 10;
    /** The last twenty requests: a few seconds of traffic, so a dead issuer is seen quickly. */
    public static final int DEFAULT_WINDOW_CALLS = 20;
    public static final int MAX_WINDOW_CALLS = IssuerBreaker.MAX_WINDOW_CALLS;
    /**
     * Five seconds. Only one request probes a half-open breaker, so probing soon costs at most one
     * request (answered 91 and reversed) per period while the issuer is really down, whereas every
     * second of an open period declines all of its traffic. Thirty seconds (the old default) kept a
     * flaky issuer that answered nearly everything in stand-in for half a chaos run after one burst
     * of failures.
     */
    public static final long DEFAULT_OPEN_MS = 5_000;

    public StandInConfig {
        mode = mode == null ? DECLINE : mode.toLowerCase(Locale.ROOT);
        types = types == null ? List.of("purchase") : List.copyOf(types);
        failureRatePercent = failureRatePercent == 0 ? DEFAULT_FAILURE_RATE_PERCENT : failureRatePercent;
        windowCalls = windowCalls == 0 ? DEFAULT_WINDOW_CALLS : windowCalls;
        minimumCalls = minimumCalls == 0 ? Math.min(DEFAULT_MINIMUM_CALLS, windowCalls) : minimumCalls;
        openMs = openMs == 0 ? DEFAULT_OPEN_MS : openMs;
        ConfigException.require(DECLINE.equals(mode) || APPROVE.equals(mode), "standIn[].mode", mode, "decline or approve");
        ConfigException.require(maxAmountPerCardPerDay >= 0, "standIn[].maxAmountPerCardPerDay", maxAmountPerCardPerDay, "0 or more");
        ConfigException.require(maxCountPerCardPerDay >= 0, "standIn[].maxCountPerCardPerDay", maxCountPerCardPerDay, "0 or more");
        for (String type : types) {
            ConfigException.require("purchase".equals(type) || "preauth".equals(type), "standIn[].types", type,
                    "purchase or preauth (the types an advice can carry to the issuer)");
        }
        ConfigException.require(failureRatePercent >= 1 && failureRatePercent <= 100, "standIn[].failureRatePercent",
                failureRatePercent, "1 to 100");
        ConfigException.require(windowCalls >= 1 && windowCalls <= MAX_WINDOW_CALLS, "standIn[].windowCalls", windowCalls,
                "1 to " + MAX_WINDOW_CALLS);
        ConfigException.require(minimumCalls >= 1 && minimumCalls <= windowCalls, "standIn[].minimumCalls", minimumCalls,
                "1 to windowCalls (" + windowCalls + ")");
        ConfigException.require(openMs >= 10, "standIn[].openMs", openMs, "at least 10 ms");
        ConfigException.require(maxAmountPerDay == null || maxAmountPerDay >= 0, "standIn[].maxAmountPerDay", maxAmountPerDay,
                "0 or more, or absent for no cap");
        ConfigException.require(maxCountPerDay == null || maxCountPerDay >= 0, "standIn[].maxCountPerDay", maxCountPerDay,
                "0 or more, or absent for no cap");
    }

    /** A rule without an issuer-wide cap. */
    public StandInConfig(String mode, long maxAmountPerCardPerDay, long maxCountPerCardPerDay, List<String> types,
                         int failureRatePercent, int minimumCalls, int windowCalls, long openMs) {
        this(mode, maxAmountPerCardPerDay, maxCountPerCardPerDay, types, failureRatePercent, minimumCalls, windowCalls, openMs,
                null, null);
    }

    /** Whether stand-in approvals for this issuer are capped per day, all cards together. */
    public boolean capped() {
        return maxAmountPerDay != null || maxCountPerDay != null;
    }

    /** Decline everything (91) while the issuer is down. */
    public static StandInConfig declining() {
        return new StandInConfig(DECLINE, 0, 0, null, 0, 0, 0, 0);
    }

    /** Whether stand-in may approve {@code type}. */
    public boolean approves(TransactionType type) {
        return APPROVE.equals(mode) && types.contains(type.tag());
    }
}
