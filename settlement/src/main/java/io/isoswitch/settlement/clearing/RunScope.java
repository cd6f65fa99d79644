package io.isoswitch.settlement.clearing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What decides which journal rows a settlement run settles ({@link SettlementSql#settledRows}):
 * its date and high-water mark (empty for a run that marked its rows, before {@code V7_5}), and
 * the date and mark of the run before it (0 when that one had none).
 */
record RunScope(LocalDate date, OptionalLong highWater, Optional<LocalDate> previousDate, long previousHighWater) {

    /** The scope of the run of {@code date}, which must have been claimed. */
    static RunScope load(Connection c, LocalDate date) throws SQLException {
        OptionalLong high;
        try (PreparedStatement s = c.prepareStatement("SELECT high_water FROM settlement_run WHERE settlement_date = ?")) {
            s.setObject(1, date);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new IllegalStateException("no settlement run of " + date);
                }
                long value = r.getLong(1);
                high = r.wasNull() ? OptionalLong.empty() : OptionalLong.of(value);
            }
        }
        try (PreparedStatement s = c.prepareStatement("SELECT settlement_date, high_water FROM settlement_run"
                + " WHERE settlement_date < ? ORDER BY settlement_date DESC FETCH FIRST 1 ROWS ONLY")) {
            s.setObject(1, date);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return new RunScope(date, high, Optional.empty(), 0);
                }
                return new RunScope(date, high, Optional.of(r.getObject(1, LocalDate.class)), r.getLong(2));
            }
        }
    }
}
