package io.isoswitch.settlement.store;

import java.sql.SQLException;

/**
 * The one upsert form that means the same on H2 and PostgreSQL and is safe under concurrent
 * writers: update; if nothing was there, insert unless someone just did; if someone did, update
 * again.
 */
final class Upserts {
    /** A statement run for its update count. */
    @FunctionalInterface
    interface Step {
        int run() throws SQLException;
    }

    private Upserts() {}

    static void upsert(Step update, Step insertIfAbsent) throws SQLException {
        if (update.run() > 0 || insertIfAbsent.run() > 0) {
            return;
        }
        update.run();
    }
}
