package io.isoswitch.sim.issuer;

/**
 * The issuer's limits.
 *
 * @param maxPinTries                 wrong PINs in a row after which the card answers 75
 * @param perTransactionLimitMinor    largest amount of one transaction; above it answers 61
 * @param completionTolerancePercent  how far a completion may exceed its pre-authorization (e.g. 15
 *                                    for tips); above it answers 13
 */
public record IssuerPolicy(int maxPinTries, long perTransactionLimitMinor, int completionTolerancePercent) {
    /** Three PIN tries, as card schemes set them by default. */
    public static final int DEFAULT_MAX_PIN_TRIES = 3;
    /** 10 000.00 in a currency with two decimals. */
    public static final long DEFAULT_PER_TRANSACTION_LIMIT_MINOR = 1_000_000;
    /** Restaurants' usual tip allowance. */
    public static final int DEFAULT_COMPLETION_TOLERANCE_PERCENT = 15;

    public IssuerPolicy {
        if (maxPinTries < 1) {
            throw new IllegalArgumentException("maxPinTries: expected >= 1, found " + maxPinTries);
        }
        if (perTransactionLimitMinor < 1) {
            throw new IllegalArgumentException("perTransactionLimitMinor: expected >= 1, found "
                    + perTransactionLimitMinor);
        }
        if (completionTolerancePercent < 0 || completionTolerancePercent > 100) {
            throw new IllegalArgumentException("completionTolerancePercent: expected 0..100, found "
                    + completionTolerancePercent);
        }
    }

    /** The defaults above. */
    public static IssuerPolicy defaults() {
        return new IssuerPolicy(DEFAULT_MAX_PIN_TRIES, DEFAULT_PER_TRANSACTION_LIMIT_MINOR,
                DEFAULT_COMPLETION_TOLERANCE_PERCENT);
    }

    /** The largest completion allowed for a hold of {@code heldMinor}. */
    public long maxCompletionMinor(long heldMinor) {
        return heldMinor + heldMinor * completionTolerancePercent / 100;
    }
}
