package io.isoswitch.sim.issuer;

import java.nio.charset.StandardCharsets;

/**
 * Non-negative numbers as fixed-width digits, without String.format's Formatter per call: the
 * issuer simulator answers every request of a load test in the switch's own process, where
 * String.format showed up in the profile of the card path.
 */
public final class ZeroPadded {
    private ZeroPadded() {}

    /** {@code value} (>= 0, at most {@code width} digits) zero-padded on the left to {@code width}. */
    public static String digits(long value, int width) {
        if (value < 0 || width < 1) {
            throw new IllegalArgumentException("expected 0 to " + width + " digits, found " + value);
        }
        // the digits written right to left into the one array the String is made of
        byte[] ascii = new byte[width];
        long rest = value;
        for (int i = width - 1; i >= 0; i--) {
            ascii[i] = (byte) ('0' + rest % 10);
            rest /= 10;
        }
        if (rest != 0) {
            throw new IllegalArgumentException("expected 0 to " + width + " digits, found " + value);
        }
        return new String(ascii, StandardCharsets.US_ASCII);
    }
}
