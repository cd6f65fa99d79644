package io.isoswitch.core.batch;

import io.isoswitch.settlement.batch.BatchTotals;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads and writes the fields of settlement and batch upload, as UnionPay POS terminals lay them
 * out (cup-pos.md 4.3 and 8) and the ISO 8583:1987 terminals of this switch copy:
 *
 * <pre>
 * field 48 of 0500/0510, 62 digits: two 31-digit halves, domestic cards then foreign cards
 *   | debit amount n12 | debit count n3 | credit amount n12 | credit count n3 | result n1 |
 *   result: 0 from the terminal; 1 balanced, 2 unbalanced, 3 error from the host
 * field 48 of a 0320 detail: count n2 (1..8), then per transaction 40 digits
 *   | card flag n2 (00 CUP, 01 foreign) | trace n6 | PAN n20, right-aligned, zero-filled | amount n12 |
 * field 48 of the closing 0320: the count uploaded, n4
 * field 60: cup-pos 60.1 n2 | 60.2 batch n6 | 60.3 code n3; ISO 1987: batch n6 | code n3
 * </pre>
 *
 * Every read checks length and digits and throws {@link BatchFormatException} (answered 30).
 */
public final class SettlementFields {
    static final int TOTALS_FIELD = 48;
    static final int BATCH_FIELD = 60;
    static final int HALF_DIGITS = 31;
    static final int TOTALS_DIGITS = 2 * HALF_DIGITS;
    static final int RECORD_DIGITS = 40;
    static final int MAX_RECORDS = 8;
    private static final long AMOUNT_LIMIT = 1_000_000_000_000L;
    private static final long COUNT_LIMIT = 1_000;

    /** What a batch upload's 60.3 code asks. */
    public enum UploadCode {
        /** Transaction detail (201; IC detail and advice codes 203 to 206 share its layout). */
        DETAIL,
        /** Upload end after an unbalanced settlement (202), or its balanced variant (207). */
        END
    }

    private SettlementFields() {
    }

    /**
     * The totals of a settlement's field 48: the domestic and foreign halves added up (the switch
     * does not tell domestic from foreign cards; the journal keeps one currency per batch). A field
     * of the domestic half only (31 digits) is read too.
     */
    public static BatchTotals totals(CharSequence field48) {
        if (field48.length() != TOTALS_DIGITS && field48.length() != HALF_DIGITS) {
            throw new BatchFormatException(TOTALS_FIELD, "expected 62 (or 31) digits of settlement totals, found "
                    + field48.length() + " characters");
        }
        requireDigits(field48, 0, field48.length(), TOTALS_FIELD, "settlement totals");
        BatchTotals totals = half(field48, 0);
        if (field48.length() == TOTALS_DIGITS) {
            BatchTotals foreign = half(field48, HALF_DIGITS);
            totals = new BatchTotals(totals.debitCount() + foreign.debitCount(), totals.debitMinor() + foreign.debitMinor(),
                    totals.creditCount() + foreign.creditCount(), totals.creditMinor() + foreign.creditMinor());
        }
        return totals;
    }

    /**
     * A settlement answer's field 48: {@code totals} in the domestic half, zeros in the foreign
     * half, {@code result} in both. Counts travel as n3 and amounts as n12, so larger figures are
     * written modulo 1000 and 10^12 (the terminal's own figures wrap the same way).
     */
    public static String answerTotals(BatchTotals totals, char result) {
        return String.format(Locale.ROOT, "%012d%03d%012d%03d%c", totals.debitMinor() % AMOUNT_LIMIT,
                totals.debitCount() % COUNT_LIMIT, totals.creditMinor() % AMOUNT_LIMIT, totals.creditCount() % COUNT_LIMIT,
                result) + "0".repeat(HALF_DIGITS - 1) + result;
    }

    /** True when the host's totals agree with the terminal's as field 48 can carry them (counts n3). */
    public static boolean agree(BatchTotals host, BatchTotals terminal) {
        return host.debitMinor() % AMOUNT_LIMIT == terminal.debitMinor() && host.creditMinor() % AMOUNT_LIMIT == terminal.creditMinor()
                && host.debitCount() % COUNT_LIMIT == terminal.debitCount() % COUNT_LIMIT
                && host.creditCount() % COUNT_LIMIT == terminal.creditCount() % COUNT_LIMIT;
    }

    /** The batch number of field 60 (cup-pos 60.2; ISO 1987: its first six digits), 1..999999. */
    public static int batchNumber(CharSequence field60, boolean cup) {
        int from = cup ? 2 : 0;
        if (field60.length() < from + 6) {
            throw new BatchFormatException(BATCH_FIELD, "expected a six-digit batch number at " + from);
        }
        requireDigits(field60, from, from + 6, BATCH_FIELD, "a six-digit batch number");
        int batch = Integer.parseInt(field60, from, from + 6, 10);
        if (batch == 0) {
            throw new BatchFormatException(BATCH_FIELD, "expected a batch number 000001..999999, found 000000");
        }
        return batch;
    }

    /**
     * Checks a settlement's code (cup-pos 60.3; ISO 1987: digits 7..9 of field 60): 201, batch
     * settlement, as cup-pos.md section 8 gives it. A field 60 that ends after the batch number is
     * taken as a settlement of that batch, since some ISO 1987 terminals send the number alone
     * (a UnionPay one never gets here: without 60.3 it is a format error before it is classified).
     */
    public static void requireSettlementCode(CharSequence field60, boolean cup) {
        int from = cup ? 8 : 6;
        if (field60.length() == from) {
            return;
        }
        if (field60.length() < from + 3 || !"201".contentEquals(field60.subSequence(from, from + 3))) {
            throw new BatchFormatException(BATCH_FIELD, "expected settlement code 201 at " + from);
        }
    }

    /** What a batch upload asks, from its code (cup-pos 60.3; ISO 1987: digits 7..9 of field 60). */
    public static UploadCode uploadCode(CharSequence field60, boolean cup) {
        int from = cup ? 8 : 6;
        if (field60.length() < from + 3) {
            throw new BatchFormatException(BATCH_FIELD, "expected a three-digit upload code at " + from);
        }
        String code = field60.subSequence(from, from + 3).toString();
        return switch (code) {
            case "201", "203", "204", "205", "206" -> UploadCode.DETAIL;
            case "202", "207" -> UploadCode.END;
            default -> throw new BatchFormatException(BATCH_FIELD, "expected upload code 201..207");
        };
    }

    /** A detail upload's transactions: PANs in clear, to be tokenised and masked at once by the caller. */
    public static List<UploadedRecord> records(CharSequence field48) {
        if (field48.length() < 2) {
            throw new BatchFormatException(TOTALS_FIELD, "expected a two-digit record count");
        }
        requireDigits(field48, 0, 2, TOTALS_FIELD, "a two-digit record count");
        int count = Integer.parseInt(field48, 0, 2, 10);
        if (count < 1 || count > MAX_RECORDS) {
            throw new BatchFormatException(TOTALS_FIELD, "expected 1..8 records, found " + count);
        }
        if (field48.length() != 2 + count * RECORD_DIGITS) {
            throw new BatchFormatException(TOTALS_FIELD, "expected " + (2 + count * RECORD_DIGITS) + " digits for " + count
                    + " records, found " + field48.length() + " characters");
        }
        requireDigits(field48, 2, field48.length(), TOTALS_FIELD, "upload records of digits");
        List<UploadedRecord> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int at = 2 + i * RECORD_DIGITS;
            String pan = field48.subSequence(at + 8, at + 28).toString().replaceFirst("^0+", "");
            if (pan.length() < 12 || pan.length() > 19) {
                throw new BatchFormatException(TOTALS_FIELD, "record " + (i + 1) + ": expected a PAN of 12..19 digits");
            }
            records.add(new UploadedRecord(field48.subSequence(at, at + 2).toString(),
                    field48.subSequence(at + 2, at + 8).toString(), pan, Long.parseLong(field48, at + 28, at + 40, 10)));
        }
        return records;
    }

    /** The closing upload's count of transactions uploaded (n4). */
    public static int uploadedCount(CharSequence field48) {
        if (field48.length() != 4) {
            throw new BatchFormatException(TOTALS_FIELD, "expected a four-digit upload count, found " + field48.length()
                    + " characters");
        }
        requireDigits(field48, 0, 4, TOTALS_FIELD, "a four-digit upload count");
        return Integer.parseInt(field48, 0, 4, 10);
    }

    private static BatchTotals half(CharSequence field48, int at) {
        return new BatchTotals(Long.parseLong(field48, at + 12, at + 15, 10), Long.parseLong(field48, at, at + 12, 10),
                Long.parseLong(field48, at + 27, at + 30, 10), Long.parseLong(field48, at + 15, at + 27, 10));
    }

    private static void requireDigits(CharSequence text, int from, int to, int field, String what) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new BatchFormatException(field, "expected " + what + ", found a non-digit at " + i);
            }
        }
    }
}
