package io.isoswitch.sim.terminal;

import java.util.Locale;

/**
 * Field 48 of a settlement (0500/0510), as UnionPay terminals write it (cup-pos.md 4.3) and the
 * simulators use for every dialect: two 31-digit halves, domestic then foreign cards, each debit
 * amount n12, debit count n3, credit amount n12, credit count n3, result n1 (the terminal sends 0;
 * the host answers 1 balanced, 2 unbalanced, 3 error). The simulators count every card as domestic.
 */
public final class SettlementTotals {
    /** Digits of the field. */
    public static final int LENGTH = 62;
    /** Result digit: the host agrees. */
    public static final char BALANCED = '1';
    /** Result digit: the host's totals differ; the terminal uploads its batch. */
    public static final char UNBALANCED = '2';

    private SettlementTotals() {
    }

    /** The request's field 48 for one currency's totals. */
    public static String format(CurrencyTotals totals, char result) {
        return String.format(Locale.ROOT, "%012d%03d%012d%03d%c", totals.debitAmountMinor(), totals.debitCount() % 1000,
                totals.creditAmountMinor(), totals.creditCount() % 1000, result) + "0".repeat(31);
    }

    /** The totals in the domestic half of a field 48. */
    public static CurrencyTotals parse(CharSequence field48, int currency) {
        String text = field48.toString();
        if (text.length() < 31 || !text.substring(0, 31).chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("field 48: expected at least 31 digits of settlement totals");
        }
        return new CurrencyTotals(currency, Long.parseLong(text.substring(12, 15)), Long.parseLong(text.substring(0, 12)),
                Long.parseLong(text.substring(27, 30)), Long.parseLong(text.substring(15, 27)));
    }

    /** The result digit of the domestic half. */
    public static char result(CharSequence field48) {
        if (field48.length() < 31) {
            throw new IllegalArgumentException("field 48: expected at least 31 digits of settlement totals");
        }
        return field48.charAt(30);
    }
}
