package io.isoswitch.settlement.db;

import java.util.Locale;

/**
 * The databases the journal runs on. The SQL is written once for both; the vendor only picks
 * Flyway's vendor-specific migration folder when one is ever needed.
 */
public enum DatabaseVendor {
    /** H2 in PostgreSQL compatibility mode: the embedded default. */
    H2,
    /** PostgreSQL (or a PostgreSQL-compatible database): production. */
    POSTGRESQL;

    /** The vendor named by a JDBC URL, e.g. {@code jdbc:postgresql://...} or {@code jdbc:h2:...}. */
    public static DatabaseVendor fromJdbcUrl(String jdbcUrl) {
        String url = jdbcUrl.toLowerCase(Locale.ROOT);
        if (url.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException(
                "journal.jdbcUrl: expected jdbc:postgresql:... or jdbc:h2:..., found " + describe(jdbcUrl));
    }

    private static String describe(String jdbcUrl) {
        int colon = jdbcUrl.indexOf(':', "jdbc:".length());
        return colon < 0 ? "'" + jdbcUrl + "'" : "'" + jdbcUrl.substring(0, colon + 1) + "...'";
    }
}
