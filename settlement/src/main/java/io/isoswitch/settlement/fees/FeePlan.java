package io.isoswitch.settlement.fees;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A merchant's (or merchant category's) fee plan. The fee of a sale is computed on minor units
 * and rounded half-even to a whole minor unit, then bounded by the rule's minimum and cap. The
 * most specific matching rule applies (scheme and type, then scheme, then type, then the
 * catch-all; among rules equal on those, the one of the transaction's currency before one of any
 * currency); a plan without a matching rule charges nothing, which {@link #ruleFor} makes
 * explicit. Currencies are ISO 4217 numeric codes, as the journal keeps them ({@code 156}).
 *
 * @param id           the plan's id (merchants refer to it)
 * @param rules        the rules; at most one per (scheme, type, currency)
 * @param refundPolicy what a refund or void returns of the original fee
 */
public record FeePlan(String id, List<FeeRule> rules, RefundFeePolicy refundPolicy) {
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    public FeePlan {
        Objects.requireNonNull(id, "id");
        rules = List.copyOf(rules);
        Objects.requireNonNull(refundPolicy, "refundPolicy");
        long distinct = rules.stream().map(r -> r.scheme() + "/" + r.type() + "/" + r.currency()).distinct().count();
        if (distinct != rules.size()) {
            throw new IllegalArgumentException("fee plan " + id + " has two rules for the same scheme, type and currency");
        }
    }

    /**
     * The rule that prices a transaction in {@code currency}, if any; {@code currency}
     * {@link FeeRule#ANY} stands for a currency no rule of the plan names (only rules of any
     * currency can price it).
     */
    public java.util.Optional<FeeRule> ruleFor(String scheme, String type, String currency) {
        return rules.stream().filter(r -> r.matches(scheme, type, currency)).max(Comparator.comparingInt(FeeRule::specificity));
    }

    /** The currencies the plan's rules name (not {@link FeeRule#ANY}), in order. */
    public java.util.SortedSet<String> currencies() {
        java.util.SortedSet<String> named = new java.util.TreeSet<>();
        rules.stream().map(FeeRule::currency).filter(c -> !FeeRule.ANY.equals(c)).forEach(named::add);
        return named;
    }

    /** The fee, in minor units of {@code currency}, the merchant pays on a sale of {@code amountMinor}. */
    public long feeMinor(String scheme, String type, String currency, long amountMinor) {
        if (amountMinor < 0) {
            throw new IllegalArgumentException("amountMinor must not be negative, was " + amountMinor);
        }
        return ruleFor(scheme, type, currency).map(rule -> bounded(rule, percentPart(rule, amountMinor) + rule.fixedMinor()))
                .orElse(0L);
    }

    /**
     * The fee returned to the merchant when {@code refundedMinor} of an original sale of
     * {@code originalMinor} (which paid {@code originalFeeMinor}) is refunded or voided, as its only refund.
     */
    public long returnedFeeMinor(String scheme, String type, String currency, long originalMinor, long originalFeeMinor,
                                 long refundedMinor) {
        return returnedFeeMinor(scheme, type, currency, originalMinor, originalFeeMinor, 0, refundedMinor);
    }

    /**
     * The fee returned to the merchant when {@code refundedMinor} of an original sale of
     * {@code originalMinor} (which paid {@code originalFeeMinor}) is refunded or voided after
     * {@code previouslyRefundedMinor} of it was: what the policy returns on the refunds up to and
     * including this one, less what it returns on those before. Rounding each refund on its own
     * would return up to half a unit too much per refund (a fee of 3 on 1000, two refunds of 500:
     * 1.5 and 1.5, each rounded half-even to 2, would give back 4); this way the refunds of a
     * sale never give back more than the policy returns on their sum.
     */
    public long returnedFeeMinor(String scheme, String type, String currency, long originalMinor, long originalFeeMinor,
                                 long previouslyRefundedMinor, long refundedMinor) {
        if (previouslyRefundedMinor < 0 || previouslyRefundedMinor > originalMinor) {
            throw new IllegalArgumentException("previouslyRefundedMinor must be 0 to the original amount " + originalMinor
                    + ", was " + previouslyRefundedMinor);
        }
        if (refundedMinor < 0 || refundedMinor > originalMinor - previouslyRefundedMinor) {
            throw new IllegalArgumentException("refundedMinor must be 0 to what is left of the original amount "
                    + (originalMinor - previouslyRefundedMinor) + ", was " + refundedMinor);
        }
        return returnedUpTo(scheme, type, currency, originalMinor, originalFeeMinor, previouslyRefundedMinor + refundedMinor)
                - returnedUpTo(scheme, type, currency, originalMinor, originalFeeMinor, previouslyRefundedMinor);
    }

    /** What the policy returns of the fee once {@code refundedMinor} of the sale is refunded in all. */
    private long returnedUpTo(String scheme, String type, String currency, long originalMinor, long originalFeeMinor,
                              long refundedMinor) {
        if (originalMinor == 0 || refundPolicy == RefundFeePolicy.KEEP) {
            return 0;
        }
        return switch (refundPolicy) {
            case RETURN_PROPORTIONAL -> refundedMinor == originalMinor
                    ? originalFeeMinor
                    : proportion(originalFeeMinor, refundedMinor, originalMinor);
            case RETURN_PERCENTAGE_ONLY -> ruleFor(scheme, type, currency)
                    .map(rule -> Math.min(originalFeeMinor, percentPart(rule, refundedMinor)))
                    .orElse(0L);
            case KEEP -> 0L;
        };
    }

    private static long percentPart(FeeRule rule, long amountMinor) {
        return BigDecimal.valueOf(amountMinor).multiply(rule.percent())
                .divide(HUNDRED, 0, RoundingMode.HALF_EVEN).longValueExact();
    }

    private static long bounded(FeeRule rule, long fee) {
        long atLeast = Math.max(fee, rule.minimumMinor());
        return rule.maximumMinor() == 0 ? atLeast : Math.min(atLeast, rule.maximumMinor());
    }

    private static long proportion(long fee, long part, long whole) {
        return BigDecimal.valueOf(fee).multiply(BigDecimal.valueOf(part))
                .divide(BigDecimal.valueOf(whole), 0, RoundingMode.HALF_EVEN).longValueExact();
    }
}
