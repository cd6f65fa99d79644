package io.isoswitch.routing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An immutable routing table: route definitions, checked and indexed by BIN in a {@link BinTrie}.
 * Build a new one to change routing and hand it to {@link Router#reload(RoutingTable)}.
 *
 * <p>Lookup: the longest BIN range containing the PAN picks the route (an 8-digit range beats the
 * 6-digit range it sits in); no range means the default route, or {@link RoutingDecision.NoRoute}
 * without one. Within the route, the first matching rule picks the issuers, else the route's own;
 * the primary is used when up, else the secondary when up, else {@link
 * RoutingDecision.NoIssuerAvailable}. A lookup reads at most 11 PAN digits whatever the size of
 * the table, and allocates nothing (decisions are made once, at build).
 */
public final class RoutingTable {
    private final List<RouteDefinition> routes;
    private final RouteDefinition defaultRoute;
    private final BinTrie trie;
    /** rangeRoute[i]: the route index of range i of the trie. */
    private final int[] rangeRoute;
    private final ResolvedRoute[] resolved;
    private final ResolvedRoute resolvedDefault;

    private RoutingTable(List<RouteDefinition> routes, RouteDefinition defaultRoute) {
        this.routes = List.copyOf(routes);
        this.defaultRoute = defaultRoute;
        checkNames();
        List<Entry> entries = entries();
        checkOverlaps(entries);
        this.trie = new BinTrie(entries.stream().map(Entry::range).toList());
        this.rangeRoute = entries.stream().mapToInt(Entry::route).toArray();
        this.resolved = this.routes.stream().map(ResolvedRoute::new).toArray(ResolvedRoute[]::new);
        this.resolvedDefault = defaultRoute == null ? null : new ResolvedRoute(defaultRoute);
    }

    /**
     * Builds a table.
     *
     * @param routes       routes with at least one BIN range each
     * @param defaultRoute the route for BINs no range covers (no BIN ranges), or null for none
     * @throws RoutingException naming the routes when ranges of the same length overlap, names
     *                          repeat, or a route has no ranges
     */
    public static RoutingTable of(List<RouteDefinition> routes, RouteDefinition defaultRoute) {
        return new RoutingTable(routes, defaultRoute);
    }

    /** A table that routes nothing: every lookup is {@link RoutingDecision.NoRoute}. */
    public static RoutingTable empty() {
        return new RoutingTable(List.of(), null);
    }

    /** Routes one transaction. Allocates nothing; calls {@code health} at most twice. */
    public RoutingDecision route(CharSequence pan, TransactionFacts facts, IssuerHealth health) {
        ResolvedRoute route = resolve(pan);
        if (route == null) {
            return RoutingDecision.NoRoute.INSTANCE;
        }
        return route.choiceFor(facts).decide(health);
    }

    /** The route the PAN's BIN selects (the default route when no range matches), or null. */
    public RouteDefinition routeFor(CharSequence pan) {
        ResolvedRoute route = resolve(pan);
        return route == null ? null : route.definition;
    }

    /** The routes with BIN ranges, in the order given. */
    public List<RouteDefinition> routes() {
        return routes;
    }

    /** The default route, or null. */
    public RouteDefinition defaultRoute() {
        return defaultRoute;
    }

    /** How many BIN ranges the table holds. */
    public int rangeCount() {
        return rangeRoute.length;
    }

    /** Trie nodes a lookup of {@code pan} visits; at most 11 whatever the table's size. */
    int nodesVisited(CharSequence pan) {
        return trie.nodesVisited(pan);
    }

    private ResolvedRoute resolve(CharSequence pan) {
        int range = trie.find(pan);
        return range < 0 ? resolvedDefault : resolved[rangeRoute[range]];
    }

    private void checkNames() {
        Set<String> names = new HashSet<>();
        for (RouteDefinition route : routes) {
            if (!names.add(route.name())) {
                throw new RoutingException("route name '" + route.name() + "' is used twice");
            }
            if (route.bins().isEmpty()) {
                throw new RoutingException("route " + route.name() + " has no BIN ranges");
            }
        }
        if (defaultRoute != null && !defaultRoute.bins().isEmpty()) {
            throw new RoutingException("the default route " + defaultRoute.name() + " must not list BIN ranges");
        }
        if (defaultRoute != null && names.contains(defaultRoute.name())) {
            throw new RoutingException("route name '" + defaultRoute.name() + "' is used twice");
        }
    }

    private List<Entry> entries() {
        List<Entry> entries = new ArrayList<>();
        for (int route = 0; route < routes.size(); route++) {
            for (BinRange range : routes.get(route).bins()) {
                entries.add(new Entry(range, route));
            }
        }
        entries.sort(Comparator.comparing(Entry::range));
        return entries;
    }

    /** Sorted by length then low bound, any overlap shows between neighbours. */
    private void checkOverlaps(List<Entry> sorted) {
        for (int i = 1; i < sorted.size(); i++) {
            Entry before = sorted.get(i - 1);
            Entry after = sorted.get(i);
            if (before.range().overlaps(after.range())) {
                throw new RoutingException("BIN range " + before.range() + " of route " + routes.get(before.route()).name()
                        + " overlaps BIN range " + after.range() + " of route " + routes.get(after.route()).name());
            }
        }
    }

    private record Entry(BinRange range, int route) {
    }

    /** A route with its decisions made once, so that routing allocates nothing. */
    private static final class ResolvedRoute {
        final RouteDefinition definition;
        final Choice ownChoice;
        final Choice[] ruleChoices;

        ResolvedRoute(RouteDefinition definition) {
            this.definition = definition;
            this.ownChoice = new Choice(definition.name(), definition.issuers());
            this.ruleChoices = definition.rules().stream()
                    .map(rule -> new Choice(definition.name(), rule.issuers())).toArray(Choice[]::new);
        }

        Choice choiceFor(TransactionFacts facts) {
            List<RouteRule> rules = definition.rules();
            for (int i = 0; i < ruleChoices.length; i++) {
                if (rules.get(i).matches(facts)) {
                    return ruleChoices[i];
                }
            }
            return ownChoice;
        }
    }

    /** The three possible decisions for one pair of issuers. */
    private static final class Choice {
        final Issuers issuers;
        final RoutingDecision primary;
        final RoutingDecision secondary;
        final RoutingDecision unavailable;

        Choice(String route, Issuers issuers) {
            this.issuers = issuers;
            this.primary = new RoutingDecision.Routed(route, issuers.primary(), false);
            this.secondary = issuers.secondary() == null ? null : new RoutingDecision.Routed(route, issuers.secondary(), true);
            this.unavailable = new RoutingDecision.NoIssuerAvailable(route, issuers.primary(), issuers.secondary());
        }

        RoutingDecision decide(IssuerHealth health) {
            if (health.isUp(issuers.primary())) {
                return primary;
            }
            if (secondary != null && health.isUp(issuers.secondary())) {
                return secondary;
            }
            return unavailable;
        }
    }
}
