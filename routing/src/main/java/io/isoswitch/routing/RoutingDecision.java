package io.isoswitch.routing;

/**
 * The outcome of routing one transaction. The switch maps {@link NoRoute} to response code 15
 * (no such issuer; some networks use 92) and {@link NoIssuerAvailable} to 91 (issuer inoperative).
 */
public sealed interface RoutingDecision {
    /**
     * Send to {@code issuer}.
     *
     * @param route     the route that matched
     * @param issuer    the issuer to send to
     * @param secondary whether this is the secondary issuer because the primary is down
     */
    record Routed(String route, String issuer, boolean secondary) implements RoutingDecision {
    }

    /** No route covers the BIN and there is no default route. */
    record NoRoute() implements RoutingDecision {
        /** The one instance. */
        public static final NoRoute INSTANCE = new NoRoute();
    }

    /**
     * A route matched but neither of its issuers is up.
     *
     * @param route     the route that matched
     * @param primary   its primary issuer
     * @param secondary its secondary issuer, or null when it has none
     */
    record NoIssuerAvailable(String route, String primary, String secondary) implements RoutingDecision {
    }
}
