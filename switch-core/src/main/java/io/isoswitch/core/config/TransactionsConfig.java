package io.isoswitch.core.config;

import java.util.Map;

/**
 * How the switch treats transactions that refer to an original (refunds, completions).
 *
 * @param refundsWithoutOriginal     whether a refund that names no original (no field 37) is sent
 *                                   to the issuer; off by default, because then nothing bounds it
 * @param completionTolerancePercent by merchant category ({@code "5812"}) or {@code default}: how far
 *                                   a completion may exceed its pre-authorization (tips); 0 unless set
 */
public record TransactionsConfig(boolean refundsWithoutOriginal, Map<String, Integer> completionTolerancePercent) {
    public static final String DEFAULT_CATEGORY = "default";

    public TransactionsConfig {
        completionTolerancePercent = completionTolerancePercent == null ? Map.of() : Map.copyOf(completionTolerancePercent);
        completionTolerancePercent.forEach((category, percent) -> ConfigException.require(percent != null && percent >= 0 && percent <= 100,
                "transactions.completionTolerancePercent." + category, percent, "0 to 100"));
    }

    public static TransactionsConfig defaults() {
        return new TransactionsConfig(false, null);
    }

    /** The tolerance for a merchant of category {@code mcc}: its own, else the default entry, else 0. */
    public int tolerancePercent(String mcc) {
        Integer own = completionTolerancePercent.get(mcc);
        return own != null ? own : completionTolerancePercent.getOrDefault(DEFAULT_CATEGORY, 0);
    }
}
