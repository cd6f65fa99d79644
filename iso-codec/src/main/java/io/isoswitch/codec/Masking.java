package io.isoswitch.codec;

/**
 * Which fields hold card data and how they are shown when masked: the PAN as first 6 + last 4,
 * every other sensitive field (expiry, tracks, PIN block, EMV data) as asterisks of the same
 * length.
 */
public final class Masking {
    /** Fields masked by default: PAN, expiry, track 2, track 3, track 1, PIN block, ICC data. */
    private static final int[] SENSITIVE = {2, 14, 35, 36, 45, 52, 55};

    private Masking() {
    }

    /** Whether field {@code field} is masked by default. */
    public static boolean isSensitive(int field) {
        for (int sensitive : SENSITIVE) {
            if (sensitive == field) {
                return true;
            }
        }
        return false;
    }

    /** The masked form of field {@code field}'s character form, or the value itself if it is not sensitive. */
    public static String mask(int field, CharSequence value) {
        if (!isSensitive(field)) {
            return value.toString();
        }
        return field == 2 ? maskPan(value) : "*".repeat(value.length());
    }

    /** A PAN as first 6 + last 4 digits; shorter than 13 characters it is masked whole. */
    public static String maskPan(CharSequence pan) {
        int length = pan.length();
        if (length < 13) {
            return "*".repeat(length);
        }
        StringBuilder masked = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            masked.append(i < 6 || i >= length - 4 ? pan.charAt(i) : '*');
        }
        return masked.toString();
    }
}
