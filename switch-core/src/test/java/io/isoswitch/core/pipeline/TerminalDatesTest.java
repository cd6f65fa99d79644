package io.isoswitch.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class TerminalDatesTest {
    @Test
    void takesTheYearThatPutsTheDateNearestToday() {
        assertThat(TerminalDates.resolve("1126013000", LocalDate.of(2026, 11, 26))).isEqualTo(LocalDateTime.of(2026, 11, 26, 1, 30));
        assertThat(TerminalDates.resolve("1231235959", LocalDate.of(2027, 1, 2))).isEqualTo(LocalDateTime.of(2026, 12, 31, 23, 59, 59));
        assertThat(TerminalDates.resolve("0101000001", LocalDate.of(2026, 12, 31))).isEqualTo(LocalDateTime.of(2027, 1, 1, 0, 0, 1));
    }

    @Test
    void aLeapDayFindsItsLeapYear() {
        assertThat(TerminalDates.resolve("0229", LocalDate.of(2028, 3, 1))).isEqualTo(LocalDateTime.of(2028, 2, 29, 0, 0));
    }

    @Test
    void anUnreadableDateFallsBackToTodayRatherThanFailing() {
        LocalDate today = LocalDate.of(2026, 11, 26);
        assertThat(TerminalDates.resolve("1340", today)).isEqualTo(today.atStartOfDay());
        assertThat(TerminalDates.resolve(null, today)).isEqualTo(today.atStartOfDay());
        assertThat(TerminalDates.resolve("ab12", today)).isEqualTo(today.atStartOfDay());
        assertThat(TerminalDates.resolve("1126996000", today)).isEqualTo(today.atStartOfDay());
    }

    @Test
    void aRequestWithoutAReadableDateNamesNone() {
        LocalDate today = LocalDate.of(2026, 11, 26);
        assertThat(TerminalDates.namesADate("", today)).isFalse();
        assertThat(TerminalDates.namesADate(null, today)).isFalse();
        assertThat(TerminalDates.namesADate("1340", today)).isFalse();
        assertThat(TerminalDates.namesADate("0229", today)).as("no leap year within one of today's").isFalse();
        assertThat(TerminalDates.namesADate("1125235959", today)).isTrue();
        assertThat(TerminalDates.namesADate("0229", LocalDate.of(2028, 3, 1))).isTrue();
    }
}
