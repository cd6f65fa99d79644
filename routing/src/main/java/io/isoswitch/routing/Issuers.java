package io.isoswitch.routing;

/**
 * The issuer endpoints a route or rule sends to: the primary, and the secondary used while the
 * primary is down.
 *
 * @param primary   issuer id, as the switch names its issuer links
 * @param secondary issuer id, or null for none
 */
public record Issuers(String primary, String secondary) {
    /** Checks the ids. */
    public Issuers {
        if (primary == null || primary.isBlank()) {
            throw new RoutingException("a primary issuer is required");
        }
        if (secondary != null && (secondary.isBlank() || secondary.equals(primary))) {
            throw new RoutingException("secondary issuer '" + secondary + "' must differ from primary '" + primary + "'");
        }
    }
}
