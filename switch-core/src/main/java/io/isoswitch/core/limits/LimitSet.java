package io.isoswitch.core.limits;

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

    public LimitSet {
        card = card == null ? Map.of() : Map.copyOf(card);
        terminal = terminal == null ? Map.of() : Map.copyOf(terminal);
        merchant = merchant == null ? Map.of() : Map.copyOf(merchant);
    }

    static Optional<LimitRule> ruleFor(Map<String, LimitRule> rules, String type) {
        LimitRule rule = rules.get(type);
        return Optional.ofNullable(rule != null ? rule : rules.get(ANY_TYPE));
    }
}
