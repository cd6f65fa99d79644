package io.isoswitch.security.internal;

import java.util.Arrays;

/** Small byte helpers: XOR, constant-time comparison, wiping. */
public final class Bytes {
    private Bytes() {}

    public static byte[] xor(byte[] a, byte[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("xor of " + a.length + " and " + b.length + " bytes");
        }
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (byte) (a[i] ^ b[i]);
        }
        return out;
    }

    /**
     * Compares in time that depends only on the lengths: {@code candidate} matches when it equals
     * the first {@code candidate.length} bytes of {@code expected} (a truncated MAC), and is at
     * least {@code minLength} long. No early exit and no allocation.
     */
    public static boolean constantTimePrefixEquals(byte[] expected, byte[] candidate, int minLength) {
        if (candidate.length < minLength || candidate.length > expected.length) {
            return false;
        }
        int difference = 0;
        for (int i = 0; i < candidate.length; i++) {
            difference |= expected[i] ^ candidate[i];
        }
        return difference == 0;
    }

    /** Overwrites each array with zeros; nulls are skipped. */
    public static void wipe(byte[]... arrays) {
        for (byte[] array : arrays) {
            if (array != null) {
                Arrays.fill(array, (byte) 0);
            }
        }
    }
}
