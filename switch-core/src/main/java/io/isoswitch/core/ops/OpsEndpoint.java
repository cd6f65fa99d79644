package io.isoswitch.core.ops;

/**
 * One path of the ops port. Runs on an event loop, so it must answer from state it already has
 * (a metrics scrape, a flag) and never block.
 */
@FunctionalInterface
public interface OpsEndpoint {
    OpsResponse handle(OpsRequest request);
}
