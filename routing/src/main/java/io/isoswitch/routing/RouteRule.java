package io.isoswitch.routing;

import java.util.Set;

/**
 * A rule within a route: when a transaction matches every condition, it goes to this rule's
 * issuers instead of the route's. An empty set or a null bound means "any".
 *
 * @param name            a label for logs and errors
 * @param mtis            MTIs, e.g. {@code 0200}
 * @param processingCodes 2 digits (the transaction type, field 3 positions 1-2) or all 6 digits
 * @param currencies      ISO 4217 numeric currencies
 * @param minAmountMinor  lowest amount in minor units, inclusive, or null
 * @param maxAmountMinor  highest amount in minor units, inclusive, or null
 * @param issuers         where matching transactions go
 */
public record RouteRule(String name, Set<String> mtis, Set<String> processingCodes, Set<Integer> currencies,
        Long minAmountMinor, Long maxAmountMinor, Issuers issuers) {
    /** Checks the rule, naming the bad value. */
    public RouteRule {
        if (name == null || name.isBlank()) {
            throw new RoutingException("a rule needs a name");
        }
        mtis = mtis == null ? Set.of() : Set.copyOf(mtis);
        processingCodes = processingCodes == null ? Set.of() : Set.copyOf(processingCodes);
        currencies = currencies == null ? Set.of() : Set.copyOf(currencies);
        for (String code : processingCodes) {
            if (code.length() != 2 && code.length() != 6) {
                throw new RoutingException("rule " + name + ": processing code '" + code + "' must have 2 or 6 digits");
            }
        }
        if (minAmountMinor != null && maxAmountMinor != null && minAmountMinor > maxAmountMinor) {
            throw new RoutingException("rule " + name + ": minAmountMinor " + minAmountMinor
                    + " is above maxAmountMinor " + maxAmountMinor);
        }
        if (issuers == null) {
            throw new RoutingException("rule " + name + " needs issuers");
        }
    }

    /** Whether the transaction meets every condition. */
    public boolean matches(TransactionFacts facts) {
        return (mtis.isEmpty() || mtis.contains(facts.mti()))
                && (processingCodes.isEmpty() || processingCodes.contains(facts.processingCode())
                        || processingCodes.contains(facts.processingCode().substring(0, 2)))
                && (currencies.isEmpty() || currencies.contains(facts.currency()))
                && (minAmountMinor == null || facts.amountMinor() >= minAmountMinor)
                && (maxAmountMinor == null || facts.amountMinor() <= maxAmountMinor);
    }
}
