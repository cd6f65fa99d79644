package io.isoswitch.settlement.db;

import java.sql.Connection;
import java.sql.SQLException;

/** A unit of blocking JDBC work run inside one transaction on a connection it does not own. */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
}
