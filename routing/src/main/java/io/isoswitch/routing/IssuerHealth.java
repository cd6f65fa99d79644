package io.isoswitch.routing;

/**
 * Whether an issuer can take a request now. The switch implements it from its issuer links
 * (signed on, not in backoff); routing only asks. It must be fast and must not block: it is
 * called on the event loop for every transaction.
 */
@FunctionalInterface
public interface IssuerHealth {
    /** Every issuer is up: for tests and tools. */
    IssuerHealth ALL_UP = issuer -> true;

    /** Whether {@code issuerId} is up. */
    boolean isUp(String issuerId);
}
