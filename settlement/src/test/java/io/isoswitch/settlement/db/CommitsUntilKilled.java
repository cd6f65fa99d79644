package io.isoswitch.settlement.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The child process of {@link EmbeddedJournalDurabilityTest}: connects as the journal does
 * ({@link DatabaseConfig#connectionUrl()}), commits one row at a time into the table {@code acked} the test made and prints {@code ack N}
 * after each commit returns, until it is killed.
 */
public final class CommitsUntilKilled {
    private CommitsUntilKilled() {
    }

    public static void main(String[] args) throws SQLException {
        DatabaseConfig config = DatabaseConfig.of(args[0], DatabaseConfig.DEFAULT_USER, "");
        try (Connection c = DriverManager.getConnection(config.connectionUrl(), config.user(), config.password())) {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO acked (n) VALUES (?)")) {
                for (int n = 1; ; n++) {
                    insert.setInt(1, n);
                    insert.executeUpdate(); // autocommit: the row is committed when this returns
                    System.out.println("ack " + n);
                    System.out.flush();
                }
            }
        }
    }
}
