package io.isoswitch.settlement.calendar;

import java.time.LocalDate;
import java.util.Objects;

/**
 * What a cutover attempt found.
 *
 * @param applied      true when this attempt moved the date (exactly one attempt per date does)
 * @param businessDate the business date after the attempt, whoever moved it
 */
public record CutoverResult(boolean applied, LocalDate businessDate) {
    public CutoverResult {
        Objects.requireNonNull(businessDate, "businessDate");
    }
}
