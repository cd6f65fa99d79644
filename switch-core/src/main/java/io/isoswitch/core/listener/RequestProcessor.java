package io.isoswitch.core.listener;

import java.util.concurrent.CompletionStage;

/**
 * Decides requests. Called on the connection's event loop; must not block it: work that waits (the
 * journal, an issuer) completes the stage later, from any thread.
 */
@FunctionalInterface
public interface RequestProcessor {
    CompletionStage<Decision> process(Exchange exchange);
}
