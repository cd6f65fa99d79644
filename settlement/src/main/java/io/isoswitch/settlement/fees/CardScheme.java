package io.isoswitch.settlement.fees;

/**
 * The card scheme a fee rule is written for, told from the first digits of the (masked) PAN.
 * Settlement computes the same in SQL with {@link #sqlCase(String)}; a test proves both agree on
 * a table of prefixes, so the two stay one definition.
 *
 * <pre>
 * 4                   visa
 * 51-55, 2221-2720    mastercard
 * 62                  unionpay
 * 34, 37              amex
 * 35                  jcb
 * 6011, 65            discover
 * anything else       other
 * </pre>
 */
public final class CardScheme {
    public static final String VISA = "visa";
    public static final String MASTERCARD = "mastercard";
    public static final String UNIONPAY = "unionpay";
    public static final String AMEX = "amex";
    public static final String JCB = "jcb";
    public static final String DISCOVER = "discover";
    public static final String OTHER = "other";
    /** Every scheme {@link #of} can return. */
    public static final java.util.List<String> ALL = java.util.List.of(VISA, MASTERCARD, UNIONPAY, AMEX, JCB, DISCOVER, OTHER);

    private CardScheme() {
    }

    /** The scheme of a PAN or masked PAN (only its first four characters are read). */
    public static String of(String pan) {
        if (pan == null || pan.length() < 4) {
            return OTHER;
        }
        String two = pan.substring(0, 2);
        String four = pan.substring(0, 4);
        if (pan.charAt(0) == '4') {
            return VISA;
        }
        if (two.compareTo("51") >= 0 && two.compareTo("55") <= 0 || four.compareTo("2221") >= 0 && four.compareTo("2720") <= 0) {
            return MASTERCARD;
        }
        if (two.equals("62")) {
            return UNIONPAY;
        }
        if (two.equals("34") || two.equals("37")) {
            return AMEX;
        }
        if (two.equals("35")) {
            return JCB;
        }
        if (four.equals("6011") || two.equals("65")) {
            return DISCOVER;
        }
        return OTHER;
    }

    /** The same decision as {@link #of} as an SQL expression over the text column {@code column}. */
    public static String sqlCase(String column) {
        String two = "SUBSTRING(" + column + ", 1, 2)";
        String four = "SUBSTRING(" + column + ", 1, 4)";
        return "CASE WHEN " + column + " IS NULL OR LENGTH(" + column + ") < 4 THEN 'other'"
                + " WHEN SUBSTRING(" + column + ", 1, 1) = '4' THEN 'visa'"
                + " WHEN " + two + " BETWEEN '51' AND '55' OR " + four + " BETWEEN '2221' AND '2720' THEN 'mastercard'"
                + " WHEN " + two + " = '62' THEN 'unionpay'"
                + " WHEN " + two + " IN ('34', '37') THEN 'amex'"
                + " WHEN " + two + " = '35' THEN 'jcb'"
                + " WHEN " + four + " = '6011' OR " + two + " = '65' THEN 'discover'"
                + " ELSE 'other' END";
    }
}
