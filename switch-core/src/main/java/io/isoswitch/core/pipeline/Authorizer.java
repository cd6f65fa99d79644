package io.isoswitch.core.pipeline;

import java.util.concurrent.CompletionStage;

/**
 * The stages after the switch's own checks: limits, routing, the write-ahead journal record, the
 * issuer, the outcome record. Called on the connection's event loop; must not block it.
 */
@FunctionalInterface
public interface Authorizer {
    CompletionStage<AuthorizationResult> authorize(Authorization authorization);
}
