package io.isoswitch.settlement.calendar;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;

/**
 * When a business date ends. An evening cutover (at or after noon, e.g. 22:00) ends business
 * date D at D 22:00, so the evening's late sales already belong to D+1; a morning cutover (before
 * noon, e.g. 00:00 or 02:00) ends D at D+1 02:00, so the night still belongs to D. The default,
 * 00:00, makes the business date the calendar date in the business zone.
 *
 * @param cutoverTime local time of the cutover
 * @param zone        the business zone
 */
public record CutoverSchedule(LocalTime cutoverTime, ZoneId zone) {
    public static final LocalTime DEFAULT_CUTOVER_TIME = LocalTime.MIDNIGHT;
    private static final LocalTime NOON = LocalTime.NOON;

    public CutoverSchedule {
        Objects.requireNonNull(cutoverTime, "cutoverTime");
        Objects.requireNonNull(zone, "zone");
    }

    private boolean evening() {
        return !cutoverTime.isBefore(NOON);
    }

    /** The instant business date {@code date} ends and the next begins. */
    public Instant endOf(LocalDate date) {
        LocalDate day = evening() ? date : date.plusDays(1);
        return ZonedDateTime.of(day, cutoverTime, zone).toInstant();
    }

    /**
     * The business date the clock says it is at {@code instant}: the date D with
     * {@code endOf(D - 1) <= instant < endOf(D)}. Defined through {@link #endOf} rather than by
     * comparing wall-clock times, so that a cutover time that a daylight-saving change skips or
     * repeats still ends each date exactly once.
     */
    public LocalDate dateAt(Instant instant) {
        // endOf(local date - 2) lies before the instant whatever the cutover time, so counting up
        // from the day before the local date takes at most three steps
        LocalDate date = LocalDateTime.ofInstant(instant, zone).toLocalDate().minusDays(1);
        while (!instant.isBefore(endOf(date))) {
            date = date.plusDays(1);
        }
        return date;
    }
}
