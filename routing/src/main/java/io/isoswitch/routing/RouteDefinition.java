package io.isoswitch.routing;

import java.util.List;

/**
 * A route as configured: the BIN ranges it covers, its issuers, and rules that send some of its
 * transactions elsewhere (the first rule that matches wins; none matching means the route's own
 * issuers). Loaded by the caller from YAML ({@link RouteFile}) or a database.
 *
 * @param name    unique name, used in decisions, logs and errors
 * @param bins    BIN ranges; empty only for the default route
 * @param issuers where transactions go when no rule matches
 * @param rules   rules tried in order
 */
public record RouteDefinition(String name, List<BinRange> bins, Issuers issuers, List<RouteRule> rules) {
    /** Checks the definition, naming the route. */
    public RouteDefinition {
        if (name == null || name.isBlank()) {
            throw new RoutingException("a route needs a name");
        }
        if (issuers == null) {
            throw new RoutingException("route " + name + " needs issuers");
        }
        bins = bins == null ? List.of() : List.copyOf(bins);
        rules = rules == null ? List.of() : List.copyOf(rules);
    }

    /** The issuers for this transaction: those of the first matching rule, else the route's. */
    public Issuers issuersFor(TransactionFacts facts) {
        for (RouteRule rule : rules) {
            if (rule.matches(facts)) {
                return rule.issuers();
            }
        }
        return issuers;
    }
}
