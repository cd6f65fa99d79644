package io.isoswitch.core.pipeline;

import java.time.LocalDate;

/**
 * UnionPay field 61, original data (cup-pos.md 4.2), as a void, refund or completion carries it:
 *
 * <pre>
 *  0      6      12   16             (offline and advice messages add method n2 + institution n11)
 *  +------+------+----+---
 *  |batch |trace |MMDD| ...
 *  +------+------+----+---
 * </pre>
 *
 * The switch matches the original by trace and date at the same terminal. The batch is not
 * matched: the journal does not keep a terminal's batch number, and a terminal's trace is unique
 * within a day whatever its batch.
 *
 * @param batch the original's batch (60.2), as sent
 * @param stan  the original's trace (field 11)
 * @param date  the original's date, its year the latest that is not after the request's date
 */
record OriginalInfo(String batch, String stan, LocalDate date) {
    private static final int MIN_LENGTH = 16;

    /** Field 61 as sent, or null when it is absent or does not hold batch, trace and a valid date. */
    static OriginalInfo parse(String field61, LocalDate requestDate) {
        if (field61 == null || field61.length() < MIN_LENGTH || !field61.substring(0, MIN_LENGTH).chars().allMatch(Character::isDigit)) {
            return null;
        }
        int month = Integer.parseInt(field61.substring(12, 14));
        int day = Integer.parseInt(field61.substring(14, 16));
        if (month < 1 || month > 12 || day < 1 || day > 31) {
            return null;
        }
        try {
            LocalDate date = LocalDate.of(requestDate.getYear(), month, day);
            // 0105 named on 2 January is the 5th of January... of last year, not a future date
            return new OriginalInfo(field61.substring(0, 6), field61.substring(6, 12),
                    date.isAfter(requestDate) ? LocalDate.of(requestDate.getYear() - 1, month, day) : date);
        } catch (java.time.DateTimeException e) {
            // 0229 in a year without it, 0431...
            return null;
        }
    }
}
