package io.isoswitch.cli.logging;

/**
 * The last line of defence for card numbers in logs: every run of {@value #MIN_DIGITS} or more
 * consecutive digits keeps its first six and last four digits and has the rest replaced by
 * {@code *} ({@code 4761739001010119} becomes {@code 476173******0119}), whatever the code that
 * logged it meant.
 *
 * <p>Decisions: Luhn-valid or not, every such run is masked. A mistyped PAN, a PAN with one digit
 * lost, or a PAN glued to the digits of a neighbouring field is still card data, and nothing the
 * switch logs on purpose is 13 or more digits long (STAN 6, RRN 12, amounts 12, terminal ids 8).
 * Runs longer than 19 digits are masked too, since a PAN may sit inside them; what stays visible
 * is at most what PCI DSS allows to be shown (first six, last four).
 */
public final class PanMasker {
    public static final int MIN_DIGITS = 13;
    private static final int KEEP_FIRST = 6;
    private static final int KEEP_LAST = 4;

    private PanMasker() {
    }

    /** {@code text} with every PAN-looking digit run masked; the same instance when there is none. */
    public static String mask(String text) {
        if (text == null || text.length() < MIN_DIGITS) {
            return text;
        }
        StringBuilder out = null;
        int length = text.length();
        int i = 0;
        while (i < length) {
            if (!isDigit(text.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < length && isDigit(text.charAt(i))) {
                i++;
            }
            if (i - start >= MIN_DIGITS) {
                if (out == null) {
                    out = new StringBuilder(text);
                }
                for (int j = start + KEEP_FIRST; j < i - KEEP_LAST; j++) {
                    out.setCharAt(j, '*');
                }
            }
        }
        return out == null ? text : out.toString();
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
