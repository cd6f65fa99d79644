package io.isoswitch.core.limits;

import io.isoswitch.core.txn.TransactionType;
import java.util.Map;
import java.util.Optional;

/**
 * The limits of one merchant category or one merchant: per card, per terminal and per merchant,
 * each by transaction type ({@code PURCHASE}, {@code PREAUTH}...; {@code "*"} for any type
 * without its own rule).
 *
 * @param card     rules per card (by PAN token)
 * @param terminal rules per terminal
 * @param merchant rules per merchant
 */
public record LimitSet(Map<String, LimitRule> card, Map<String, LimitRule> terminal, Map<String, LimitRule> merchant) {
    public static final String ANY_TYPE = "*";

    /**
     * The types a rule may name: those the limits check (a void or reversal is never limited, it
     * gives back). Any other name is refused, so that a typo ({@code purchase}, {@code PURCHSE})
     * never leaves a limit silently unapplied.
     */
    public static final java.util.Set<String> LIMITED_TYPES = java.util.stream.Stream.of(TransactionType.PURCHASE,
                    TransactionType.REFUND, TransactionType.PREAUTH, TransactionType.PREAUTH_COMPLETION,
                    TransactionType.PREAUTH_COMPLETION_ADVICE, TransactionType.BALANCE_INQUIRY)
            .map(Enum::name).collect(java.util.stream.Collectors.toUnmodifiableSet());

    public LimitSet {
        card = checked("card", card);
        terminal = checked("terminal", terminal);
        merchant = checked("merchant", merchant);
    }

    private static Map<String, LimitRule> checked(String side, Map<String, LimitRule> rules) {
        if (rules == null) {
            return Map.of();
        }
        for (String type : rules.keySet()) {
            if (!ANY_TYPE.equals(type) && !LIMITED_TYPES.contains(type)) {
                String near = LIMITED_TYPES.stream().filter(known -> known.equalsIgnoreCase(type)).findFirst()
                        .map(known -> "; did you mean " + known + "?").orElse("");
                throw new IllegalArgumentException(side + " limits: unknown transaction type '" + type + "' (expected "
                        + ANY_TYPE + " or one of " + new java.util.TreeSet<>(LIMITED_TYPES) + ")" + near);
            }
        }
        return Map.copyOf(rules);
    }

    /**
     * The ways of debiting a card that {@code rules} leave uncapped while capping another: a purchase
     * and a pre-authorization each count against their own type's limits, so a card stopped at its
     * purchase limit can still spend through pre-authorizations (judge B). Empty when both or neither
     * have a rule.
     */
    static java.util.List<String> uncappedDebits(Map<String, LimitRule> rules) {
        java.util.List<String> debits = java.util.List.of(TransactionType.PURCHASE.name(), TransactionType.PREAUTH.name());
        java.util.List<String> uncapped = debits.stream().filter(type -> ruleFor(rules, type).isEmpty()).toList();
        return uncapped.size() == debits.size() ? java.util.List.of() : uncapped;
    }

    static Optional<LimitRule> ruleFor(Map<String, LimitRule> rules, String type) {
        LimitRule rule = rules.get(type);
        return Optional.ofNullable(rule != null ? rule : rules.get(ANY_TYPE));
    }
}
