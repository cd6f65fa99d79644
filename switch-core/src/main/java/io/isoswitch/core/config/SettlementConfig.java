package io.isoswitch.core.config;

import java.time.LocalTime;
import java.time.format.DateTimeParseException;

/**
 * The business date and settlement.
 *
 * @param cutoverTime       local time (in {@code businessZone}) the business date moves on, HH:mm;
 *                          before noon it ends the date the morning after (00:00 = calendar date),
 *                          at or after noon the same evening
 * @param calendarRefreshMs how often a node reads the shared business date (and cuts over when due)
 * @param feePlansFile      fee plans (YAML) stored in the database at start, or null to keep those there
 */
public record SettlementConfig(String cutoverTime, Long calendarRefreshMs, String feePlansFile) {
    public static final String DEFAULT_CUTOVER_TIME = "00:00";
    public static final long DEFAULT_CALENDAR_REFRESH_MS = 1_000;

    public SettlementConfig {
        cutoverTime = cutoverTime == null ? DEFAULT_CUTOVER_TIME : cutoverTime;
        calendarRefreshMs = calendarRefreshMs == null ? DEFAULT_CALENDAR_REFRESH_MS : calendarRefreshMs;
        try {
            LocalTime.parse(cutoverTime);
        } catch (DateTimeParseException e) {
            throw new ConfigException("settlement.cutoverTime = " + cutoverTime + ": expected a local time such as 00:00 or 22:30", e);
        }
        ConfigException.require(calendarRefreshMs >= 10 && calendarRefreshMs <= 60_000, "settlement.calendarRefreshMs",
                calendarRefreshMs, "10 to 60000");
    }

    public LocalTime cutoverLocalTime() {
        return LocalTime.parse(cutoverTime);
    }

    static SettlementConfig defaults() {
        return new SettlementConfig(null, null, null);
    }
}
