package io.isoswitch.core.terminal;

import java.util.Optional;

/**
 * Looks up terminals and merchants. Lookups happen on the event loop for every request, so an
 * implementation answers from memory (a database-backed one keeps a cache it refreshes off the
 * event loop).
 */
public interface TerminalDirectory {
    Optional<Terminal> terminal(String terminalId);

    Optional<Merchant> merchant(String merchantId);
}
