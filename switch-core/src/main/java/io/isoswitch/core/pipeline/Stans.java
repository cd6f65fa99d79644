package io.isoswitch.core.pipeline;

/** Field 11 as text, without String.format's Formatter per call (on every issuer request). */
final class Stans {
    private Stans() {}

    /** {@code stan} (0 to 999999) as six digits, zero-padded on the left. */
    static String sixDigits(int stan) {
        if (stan < 0 || stan > 999_999) {
            throw new IllegalArgumentException("a STAN is 0 to 999999, found " + stan);
        }
        String digits = Integer.toString(stan);
        return "000000".substring(digits.length()) + digits;
    }
}
