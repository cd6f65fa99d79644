package io.isoswitch.settlement.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CutoverScheduleTest {
    @ParameterizedTest(name = "cutover {0} in {1}: {2} is business date {3}")
    @CsvSource({
        // midnight: the calendar date in the zone
        "00:00, UTC, 2026-11-26T23:59:59Z, 2026-11-26",
        "00:00, UTC, 2026-11-27T00:00:00Z, 2026-11-27",
        "00:00, Asia/Shanghai, 2026-11-26T16:00:00Z, 2026-11-27",
        "00:00, Asia/Shanghai, 2026-11-26T15:59:59Z, 2026-11-26",
        // an evening cutover: the evening already belongs to tomorrow
        "22:00, UTC, 2026-11-26T21:59:59Z, 2026-11-26",
        "22:00, UTC, 2026-11-26T22:00:00Z, 2026-11-27",
        "22:00, UTC, 2026-11-27T01:00:00Z, 2026-11-27",
        // an early-morning cutover: the night still belongs to yesterday
        "02:00, UTC, 2026-11-27T01:59:59Z, 2026-11-26",
        "02:00, UTC, 2026-11-27T02:00:00Z, 2026-11-27",
        // 02:30 does not exist in New York on 2000-04-02 (clocks jump 02:00 -> 03:00): 04-01 ends at 03:30 EDT
        "02:30, America/New_York, 2000-04-02T07:29:59Z, 2000-04-01",
        "02:30, America/New_York, 2000-04-02T07:30:00Z, 2000-04-02",
        // 01:30 happens twice in New York on 2000-10-29: the first one ends 10-28, the second changes nothing
        "01:30, America/New_York, 2000-10-29T05:29:59Z, 2000-10-28",
        "01:30, America/New_York, 2000-10-29T05:30:00Z, 2000-10-29",
        "01:30, America/New_York, 2000-10-29T06:30:00Z, 2000-10-29",
    })
    void tellsTheBusinessDateOfAnInstant(LocalTime cutover, ZoneId zone, Instant at, LocalDate expected) {
        assertThat(new CutoverSchedule(cutover, zone).dateAt(at)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"00:00, UTC, 2026-11-26, 2026-11-27T00:00:00Z", "22:00, UTC, 2026-11-26, 2026-11-26T22:00:00Z",
        "02:00, Europe/Berlin, 2026-11-26, 2026-11-27T01:00:00Z"})
    void endsADateAtItsCutover(LocalTime cutover, ZoneId zone, LocalDate date, Instant expected) {
        assertThat(new CutoverSchedule(cutover, zone).endOf(date)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void aDateBeginsWhereTheDayBeforeItEnds() {
        String[] zones = {"UTC", "Europe/Berlin", "America/New_York", "Asia/Shanghai"};
        qt().forAll(integers().between(0, 23), integers().between(0, zones.length - 1), longs().between(0, 20_000))
                .checkAssert((hour, zone, day) -> {
                    CutoverSchedule schedule = new CutoverSchedule(LocalTime.of(hour, 30), ZoneId.of(zones[zone]));
                    LocalDate date = LocalDate.of(2000, 1, 1).plusDays(day);
                    Instant end = schedule.endOf(date);
                    assertThat(schedule.dateAt(end)).isEqualTo(date.plusDays(1));
                    assertThat(schedule.dateAt(end.minusSeconds(1))).isEqualTo(date);
                });
    }
}
