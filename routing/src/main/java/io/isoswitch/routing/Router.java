package io.isoswitch.routing;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The switch's routing entry point: holds the current {@link RoutingTable} and swaps it whole on
 * {@link #reload(RoutingTable)}, so routes change without a restart and a lookup always sees one
 * complete table, old or new, never a mix. Thread-safe; lookups take no lock.
 */
public final class Router {
    private final AtomicReference<RoutingTable> table;

    /** A router starting with {@code initial}. */
    public Router(RoutingTable initial) {
        if (initial == null) {
            throw new IllegalArgumentException("initial table is required");
        }
        this.table = new AtomicReference<>(initial);
    }

    /** The table in use now. */
    public RoutingTable current() {
        return table.get();
    }

    /**
     * Makes {@code next} the table for every later lookup; lookups already running finish on the
     * table they started with.
     *
     * @return the table it replaces
     */
    public RoutingTable reload(RoutingTable next) {
        if (next == null) {
            throw new IllegalArgumentException("next table is required");
        }
        return table.getAndSet(next);
    }

    /** Routes one transaction on the current table. */
    public RoutingDecision route(CharSequence pan, TransactionFacts facts, IssuerHealth health) {
        return table.get().route(pan, facts, health);
    }
}
