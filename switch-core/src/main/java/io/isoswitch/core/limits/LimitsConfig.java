package io.isoswitch.core.limits;

import java.util.Map;

/**
 * Limits as configured: per merchant category (MCC; {@code default} for categories without their
 * own), overridable per merchant. A merchant's own set replaces its category's whole.
 *
 * <pre>
 * limits:
 *   categories:
 *     default:
 *       card: {PURCHASE: {perTransactionMinor: 5000000, dailyAmountMinor: 20000000, dailyCount: 50}}
 *     "5812":
 *       card: {"*": {dailyCount: 20}}
 *   merchants:
 *     MERCHANT0000001:
 *       terminal: {PURCHASE: {dailyAmountMinor: 100000000}}
 * </pre>
 *
 * @param categories limit sets by MCC
 * @param merchants  limit sets by merchant id
 */
public record LimitsConfig(Map<String, LimitSet> categories, Map<String, LimitSet> merchants) {
    public static final String DEFAULT_CATEGORY = "default";

    public LimitsConfig {
        categories = categories == null ? Map.of() : Map.copyOf(categories);
        merchants = merchants == null ? Map.of() : Map.copyOf(merchants);
    }

    public static LimitsConfig none() {
        return new LimitsConfig(null, null);
    }

    /** The set that applies to a merchant: its own, else its category's, else the default category's. */
    LimitSet forMerchant(String merchantId, String mcc) {
        LimitSet own = merchants.get(merchantId);
        if (own != null) {
            return own;
        }
        LimitSet category = categories.get(mcc);
        return category != null ? category : categories.getOrDefault(DEFAULT_CATEGORY, new LimitSet(null, null, null));
    }
}
