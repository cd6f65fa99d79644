package io.isoswitch.core.standin;

import io.isoswitch.core.config.ConfigException;
import io.isoswitch.core.txn.TransactionType;
import java.util.List;
import java.util.Locale;

/**
 * What the switch does for one issuer while that issuer is down (its link is down, it failed
 * {@code failuresToOpen} requests in a row, or operations forced stand-in on).
 *
 * @param mode                   {@code decline} (default: every request 91) or {@code approve}
 * @param maxAmountPerCardPerDay the most one card may be approved in stand-in per business day (minor units; 0 = none approved)
 * @param maxCountPerCardPerDay  the most approvals one card may get in stand-in per business day
 * @param types                  the transaction types stand-in may approve ({@code purchase}, {@code preauth});
 *                               default purchase only
 * @param failuresToOpen         consecutive failed requests (timeouts, lost connections) that put the
 *                               issuer in stand-in ({@link #DEFAULT_FAILURES_TO_OPEN})
 * @param openMs                 how long stand-in lasts after that before one request tries the issuer
 *                               again ({@link #DEFAULT_OPEN_MS})
 */
public record StandInConfig(String mode, long maxAmountPerCardPerDay, long maxCountPerCardPerDay, List<String> types,
                            int failuresToOpen, long openMs) {
    public static final String DECLINE = "decline";
    public static final String APPROVE = "approve";
    /** Five timeouts in a row: one slow answer is noise, five mean the issuer is not answering. */
    public static final int DEFAULT_FAILURES_TO_OPEN = 5;
    /** Thirty seconds: about the time an issuer host takes to restart or fail over. */
    public static final long DEFAULT_OPEN_MS = 30_000;

    public StandInConfig {
        mode = mode == null ? DECLINE : mode.toLowerCase(Locale.ROOT);
        types = types == null ? List.of("purchase") : List.copyOf(types);
        failuresToOpen = failuresToOpen == 0 ? DEFAULT_FAILURES_TO_OPEN : failuresToOpen;
        openMs = openMs == 0 ? DEFAULT_OPEN_MS : openMs;
        ConfigException.require(DECLINE.equals(mode) || APPROVE.equals(mode), "standIn[].mode", mode, "decline or approve");
        ConfigException.require(maxAmountPerCardPerDay >= 0, "standIn[].maxAmountPerCardPerDay", maxAmountPerCardPerDay, "0 or more");
        ConfigException.require(maxCountPerCardPerDay >= 0, "standIn[].maxCountPerCardPerDay", maxCountPerCardPerDay, "0 or more");
        for (String type : types) {
            ConfigException.require("purchase".equals(type) || "preauth".equals(type), "standIn[].types", type,
                    "purchase or preauth (the types an advice can carry to the issuer)");
        }
        ConfigException.require(failuresToOpen > 0, "standIn[].failuresToOpen", failuresToOpen, "1 or more");
        ConfigException.require(openMs >= 10, "standIn[].openMs", openMs, "at least 10 ms");
    }

    /** Decline everything (91) while the issuer is down. */
    public static StandInConfig declining() {
        return new StandInConfig(DECLINE, 0, 0, null, 0, 0);
    }

    /** Whether stand-in may approve {@code type}. */
    public boolean approves(TransactionType type) {
        return APPROVE.equals(mode) && types.contains(type.tag());
    }
}
