package io.isoswitch.sim.issuer;

/**
 * Non-negative numbers as fixed-width digits, without String.format's Formatter per call: the
 * issuer simulator answers every request of a load test in the switch's own process, where
 * String.format showed up in the profile of the card path.
 */
public final class ZeroPadded {
    private ZeroPadded() {}

    /** {@code value} (>= 0, at most {@code width} digits) zero-padded on the left to {@code width}. */
    public static String digits(long value, int width) {
        String digits = Long.toString(value);
        if (value < 0 || digits.length() > width) {
            throw new IllegalArgumentException("expected 0 to " + width + " digits, found " + value);
        }
        return new StringBuilder(width).repeat('0', width - digits.length()).append(digits).toString();
    }
}
