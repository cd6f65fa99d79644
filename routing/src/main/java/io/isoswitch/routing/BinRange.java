package io.isoswitch.routing;

/**
 * A range of BINs (issuer identification numbers, the leading digits of a PAN) of one length,
 * 6 to 11 digits, low and high inclusive. A single prefix is a range whose low and high are equal.
 * A PAN matches when its first {@link #digits()} digits lie within the range.
 *
 * <pre>
 * 622588                  one 6-digit BIN
 * 62258800..62258899      every 8-digit BIN from 62258800 to 62258899
 * </pre>
 *
 * @param low    lowest BIN, as a number
 * @param high   highest BIN, as a number
 * @param digits the length of both, 6 to 11
 */
public record BinRange(long low, long high, int digits) implements Comparable<BinRange> {
    /** Shortest BIN length a range may have. */
    public static final int MIN_DIGITS = 6;
    /** Longest BIN length a range may have, so a lookup reads at most this many PAN digits. */
    public static final int MAX_DIGITS = 11;

    private static final String SEPARATOR = "..";

    /** Checks the bounds, naming the bad value. */
    public BinRange {
        if (digits < MIN_DIGITS || digits > MAX_DIGITS) {
            throw new RoutingException("a BIN range has " + MIN_DIGITS + " to " + MAX_DIGITS + " digits, was " + digits);
        }
        long limit = pow10(digits);
        if (low < 0 || high >= limit || low > high) {
            throw new RoutingException("BIN range low " + low + " and high " + high + " are not an ascending pair of "
                    + digits + "-digit numbers");
        }
    }

    /**
     * Parses {@code "622588"} or {@code "62258800..62258899"}.
     *
     * @throws RoutingException naming the text when it is not digits of 6 to 11, or low and high
     *                          differ in length or are descending
     */
    public static BinRange parse(String text) {
        if (text == null) {
            throw new RoutingException("BIN range is missing");
        }
        String trimmed = text.strip();
        int separator = trimmed.indexOf(SEPARATOR);
        String low = separator < 0 ? trimmed : trimmed.substring(0, separator).strip();
        String high = separator < 0 ? trimmed : trimmed.substring(separator + SEPARATOR.length()).strip();
        if (!isDigits(low) || !isDigits(high)) {
            throw new RoutingException("BIN range '" + text + "' must be digits, as 622588 or 62258800..62258899");
        }
        if (low.length() != high.length()) {
            throw new RoutingException("BIN range '" + text + "' has bounds of different lengths");
        }
        if (low.length() < MIN_DIGITS || low.length() > MAX_DIGITS) {
            throw new RoutingException("BIN range '" + text + "' must have " + MIN_DIGITS + " to " + MAX_DIGITS + " digits");
        }
        return new BinRange(Long.parseLong(low), Long.parseLong(high), low.length());
    }

    /** Whether the first {@link #digits()} digits of {@code bin} (as a number) lie in the range. */
    public boolean contains(long bin) {
        return bin >= low && bin <= high;
    }

    /** Whether the two ranges share a BIN; ranges of different lengths never do. */
    public boolean overlaps(BinRange other) {
        return digits == other.digits && low <= other.high && other.low <= high;
    }

    /** Digit {@code index} (0 = leftmost) of the low bound. */
    int lowDigit(int index) {
        return digitOf(low, index);
    }

    /** Digit {@code index} (0 = leftmost) of the high bound. */
    int highDigit(int index) {
        return digitOf(high, index);
    }

    private int digitOf(long value, int index) {
        return (int) (value / pow10(digits - 1 - index) % 10);
    }

    /** Orders by length, then by low bound. */
    @Override
    public int compareTo(BinRange other) {
        int byDigits = Integer.compare(digits, other.digits);
        return byDigits != 0 ? byDigits : Long.compare(low, other.low);
    }

    /** The text form {@link #parse(String)} reads. */
    @Override
    public String toString() {
        String lowText = pad(low);
        return low == high ? lowText : lowText + SEPARATOR + pad(high);
    }

    private String pad(long value) {
        String text = Long.toString(value);
        return "0".repeat(digits - text.length()) + text;
    }

    static long pow10(int exponent) {
        long value = 1;
        for (int i = 0; i < exponent; i++) {
            value *= 10;
        }
        return value;
    }

    private static boolean isDigits(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
