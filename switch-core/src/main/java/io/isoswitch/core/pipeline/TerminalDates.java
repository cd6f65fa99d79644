package io.isoswitch.core.pipeline;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;

/**
 * Terminals send dates without a year (field 13 MMDD, field 7 MMDDhhmmss). The year is the one that
 * puts the date nearest to the switch's today, so a 1231 request answered on 2 January belongs to
 * the old year and a 0101 request sent just before midnight on 31 December to the new one.
 */
final class TerminalDates {
    private TerminalDates() {
    }

    /**
     * @param mmddhhmmss ten digits (13 + 12, or field 7), or shorter/absent: then {@code today} at midnight
     * @param today      the switch's date
     */
    static LocalDateTime resolve(String mmddhhmmss, LocalDate today) {
        LocalDateTime named = resolveNamed(mmddhhmmss, today);
        return named != null ? named : today.atStartOfDay();
    }

    /** As {@link #resolve}, or null where {@code mmddhhmmss} names no date ({@link #namesADate} false). */
    static LocalDateTime resolveNamed(String mmddhhmmss, LocalDate today) {
        LocalDate best = named(mmddhhmmss, today);
        if (best == null) {
            return null;
        }
        LocalTime time = LocalTime.MIDNIGHT;
        if (mmddhhmmss.length() >= 10) {
            int hour = twoDigits(mmddhhmmss, 4);
            int minute = twoDigits(mmddhhmmss, 6);
            int second = twoDigits(mmddhhmmss, 8);
            if (hour < 24 && minute < 60 && second < 60) {
                time = LocalTime.of(hour, minute, second);
            }
        }
        return best.atTime(time);
    }

    /**
     * Whether {@code mmddhhmmss} names a date near {@code today} ({@link #resolve} does not fall back
     * to today): false for a request that carries none (a UnionPay request: 12 and 13 are the host's,
     * in its answers), or one that cannot be read.
     */
    static boolean namesADate(String mmddhhmmss, LocalDate today) {
        return named(mmddhhmmss, today) != null;
    }

    /** The date {@code mmddhhmmss} names, in the year nearest {@code today}; null where it names none. */
    private static LocalDate named(String mmddhhmmss, LocalDate today) {
        if (mmddhhmmss == null || mmddhhmmss.length() < 4 || !allDigits(mmddhhmmss)) {
            return null;
        }
        int month = twoDigits(mmddhhmmss, 0);
        int day = twoDigits(mmddhhmmss, 2);
        if (month < 1 || month > 12 || day < 1 || day > MonthDay.of(month, 1).getMonth().maxLength()) {
            return null;
        }
        LocalDate best = null;
        MonthDay monthDay = MonthDay.of(month, day);
        for (int year = today.getYear() - 1; year <= today.getYear() + 1; year++) {
            if (!monthDay.isValidYear(year)) {
                continue;
            }
            LocalDate candidate = monthDay.atYear(year);
            if (best == null || Math.abs(candidate.toEpochDay() - today.toEpochDay()) < Math.abs(best.toEpochDay() - today.toEpochDay())) {
                best = candidate;
            }
        }
        return best;
    }

    // per request on the card path: a loop, no stream, no substrings; ASCII digits only (the wire's
    // numeric fields), where Character.isDigit would also take other scripts' digits
    private static boolean allDigits(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static int twoDigits(String text, int at) {
        return (text.charAt(at) - '0') * 10 + (text.charAt(at + 1) - '0');
    }
}
