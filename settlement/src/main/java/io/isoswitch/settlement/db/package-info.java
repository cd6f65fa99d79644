/**
 * The journal database: configuration, the HikariCP pool, Flyway migrations at start and the
 * small executor that keeps blocking JDBC off the callers' threads.
 */
package io.isoswitch.settlement.db;
