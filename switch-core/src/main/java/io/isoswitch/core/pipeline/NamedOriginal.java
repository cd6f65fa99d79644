package io.isoswitch.core.pipeline;

import io.isoswitch.core.txn.TransactionType;
import io.isoswitch.settlement.journal.JournalEntry;
import io.isoswitch.settlement.journal.JournalRequest;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

/**
 * The original a terminal's reversal names, and the dates it can be journaled under. ISO terminals
 * name it in field 90 (MTI 4, STAN 6, transmission date-time 10...); UnionPay terminals reverse with
 * the original's own STAN and repeat its 60.1, which names its MTI, and name no date.
 *
 * @param stan      the original's STAN
 * @param date      field 90's transmission date (GMT) when given, else the reversal's own date
 * @param mti       the original's MTI; null where the reversal does not name it
 * @param namesDate whether the reversal named the date (ISO field 90)
 */
record NamedOriginal(String stan, LocalDate date, String mti, boolean namesDate) {

    static NamedOriginal of(Authorization a, LocalDate reversalDate) {
        String field90 = a.originalData();
        String stan = field90 != null && field90.length() >= 10 && field90.substring(4, 10).chars().allMatch(Character::isDigit)
                ? field90.substring(4, 10) : a.stan();
        LocalDate date = field90 != null && field90.length() >= 14
                ? TerminalDates.resolve(field90.substring(10, 20), reversalDate).toLocalDate() : reversalDate;
        return new NamedOriginal(stan, date, mti(a), field90 != null);
    }

    /**
     * The original's MTI: from field 90 (ISO terminals), or from the original's 60.1 that a UnionPay
     * reversal repeats (cup-pos.md section 6: pre-authorization and its void are 0100, purchase,
     * its void, completion and its void 0200); null where the reversal does not name it.
     */
    private static String mti(Authorization a) {
        String field90 = a.originalData();
        if (field90 != null) {
            return field90.length() >= 4 && field90.substring(0, 4).chars().allMatch(Character::isDigit)
                    && !field90.startsWith("0000") ? field90.substring(0, 4) : null;
        }
        String cupCode = a.cupMessageCode();
        return cupCode == null ? null : switch (cupCode) {
            case "10", "11" -> "0100";
            case "20", "21", "22", "23" -> "0200";
            default -> null;
        };
    }

    /** The message class (first three digits of the MTI); null where the reversal names none. */
    String mtiClass() {
        return mti == null ? null : mti.substring(0, 3);
    }

    /**
     * Whether an original of another message class than the one named may be taken when none of
     * that class is found: for a reversal that names 0200, since some ISO terminals name every
     * original 0200 (their pre-authorizations too). One that names 0100 names a pre-authorization
     * for certain; a purchase under the same STAN is another transaction.
     */
    boolean allowsOtherClass() {
        String mtiClass = mtiClass();
        return mtiClass == null || mtiClass.equals("020");
    }

    /**
     * The dates the original is looked for on, in order. A UnionPay reversal names no date: its date
     * is the reversal's own, and where the business day cut over between the original and its
     * reversal (a sale at 23:59, its reversal at 00:01) the original is on the day before, or as far
     * back as {@code earliestWithoutDate}, the date the terminal's keys were issued on (a repeat
     * answered from it after two cutovers). An ISO
     * reversal's field 90 names the original's field 7, its transmission date in GMT, while the
     * journal dates the original by field 13, the terminal's local date: east of GMT the local date
     * is the day after for part of every day (a shop in UTC+8 before 08:00), west of it the day
     * before, so those days are looked at after the named one.
     */
    List<LocalDate> datesLookedAt(LocalDate earliestWithoutDate) {
        if (namesDate) {
            return List.of(date, date.minusDays(1), date.plusDays(1));
        }
        // the day before, and back to the date the reversing terminal's keys were issued on: a repeat
        // answered 00 from the record of two dates back may be reversed by its terminal, while a sale of
        // a date before those keys existed is another session's (its STANs may have started again)
        LocalDate earliest = earliestWithoutDate == null || earliestWithoutDate.isAfter(date.minusDays(1))
                ? date.minusDays(1) : earliestWithoutDate;
        List<LocalDate> dates = new java.util.ArrayList<>();
        for (LocalDate on = date; !on.isBefore(earliest); on = on.minusDays(1)) {
            dates.add(on);
        }
        return dates;
    }

    /**
     * Every date an original arriving after its reversal can be journaled under: the named date and
     * the day either side. ISO: its local date (13) is within a day of the GMT date field 90 names.
     * UnionPay: a terminal that sends 13 dated the original up to a day before its reversal (a sale
     * at 23:59 reversed at 00:01), and one that does not has it dated by the business date it arrives
     * on, which may be the next one (the day cut over after the reversal).
     */
    List<LocalDate> datesReserved() {
        return List.of(date, date.minusDays(1), date.plusDays(1));
    }

    /** A declined record of {@code reversal} under the original's key on {@code on}: it holds the key against a late original. */
    JournalRequest blocker(JournalRequest reversal, LocalDate on) {
        return new JournalRequest(reversal.nodeId(), reversal.businessDate(), reversal.terminalId(),
                reversal.merchantId(), stan, on, mti, reversal.localTime(),
                reversal.transactionType(), reversal.processingCode(), reversal.amountMinor(), reversal.currency(),
                reversal.card(), null, null);
    }

    /** A reversal's record under its original's key ({@link #blocker}): found where an original is looked for, never one. */
    static boolean isReservation(JournalEntry entry) {
        return TransactionType.REVERSAL.name().equals(entry.request().transactionType());
    }

    /** The reversal names no card, or the original's. */
    static boolean sameCard(JournalRequest reversal, JournalEntry original) {
        return reversal.card() == null || !reversal.card().named() || original.request().card() == null
                || Arrays.equals(reversal.card().panToken(), original.request().card().panToken());
    }
}
