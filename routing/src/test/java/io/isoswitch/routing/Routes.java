package io.isoswitch.routing;

import java.util.Arrays;
import java.util.List;

/** Short-hands for building route definitions in tests. */
final class Routes {
    static final TransactionFacts PURCHASE_CNY_100 = new TransactionFacts("0200", "000000", 156, 10_000);

    private Routes() {
    }

    static RouteDefinition route(String name, String primary, String secondary, String... bins) {
        return new RouteDefinition(name, Arrays.stream(bins).map(BinRange::parse).toList(),
                new Issuers(primary, secondary), List.of());
    }

    static RouteDefinition withRules(RouteDefinition route, RouteRule... rules) {
        return new RouteDefinition(route.name(), route.bins(), route.issuers(), List.of(rules));
    }
}
