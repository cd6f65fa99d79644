package io.isoswitch.security.internal;

/**
 * Decimal strings as digit arrays, checked without echoing the input (it may be a PAN or a PIN),
 * and the decimalisation used by PVV and CVV.
 */
public final class Digits {
    private Digits() {}

    /** The digits of {@code text} as values 0-9; the message names {@code what}, never the text. */
    public static byte[] parse(CharSequence text, String what, int minLength, int maxLength) {
        if (text == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        int length = text.length();
        if (length < minLength || length > maxLength) {
            throw new IllegalArgumentException(what + " must be " + minLength + ".." + maxLength
                    + " decimal digits, found " + length + " characters");
        }
        byte[] digits = new byte[length];
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException(what + " must be decimal digits, found a non-digit at position " + i);
            }
            digits[i] = (byte) (c - '0');
        }
        return digits;
    }

    /**
     * The ASCII bytes of {@code text} ('0'-'9'), checked as {@link #parse} checks: one pass, one
     * array (the caller wipes it).
     */
    public static byte[] ascii(CharSequence text, String what, int minLength, int maxLength) {
        byte[] digits = parse(text, what, minLength, maxLength);
        for (int i = 0; i < digits.length; i++) {
            digits[i] += '0';
        }
        return digits;
    }

    /** Packs nibble values (0-15), two per byte, high nibble first; {@code nibbles.length} is even. */
    public static byte[] pack(byte[] nibbles) {
        byte[] out = new byte[nibbles.length / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) ((nibbles[2 * i] << 4) | (nibbles[2 * i + 1] & 0x0F));
        }
        return out;
    }

    /** The nibble at {@code index} of {@code bytes}, high nibble first. */
    public static int nibble(byte[] bytes, int index) {
        int b = bytes[index / 2] & 0xFF;
        return index % 2 == 0 ? b >>> 4 : b & 0x0F;
    }

    /**
     * Visa decimalisation (PVV, CVV): the decimal nibbles of {@code block} left to right, then the
     * hex-letter nibbles minus 10, until {@code count} digits are found.
     */
    public static byte[] decimalise(byte[] block, int count) {
        byte[] out = new byte[count];
        int found = 0;
        for (int pass = 0; pass < 2 && found < count; pass++) {
            for (int i = 0; i < block.length * 2 && found < count; i++) {
                int n = nibble(block, i);
                if (pass == 0 && n < 10) {
                    out[found++] = (byte) n;
                } else if (pass == 1 && n >= 10) {
                    out[found++] = (byte) (n - 10);
                }
            }
        }
        return out;
    }

    /** Digit values as a string of '0'-'9'. */
    public static String toText(byte[] digits) {
        char[] chars = new char[digits.length];
        for (int i = 0; i < digits.length; i++) {
            chars[i] = (char) ('0' + digits[i]);
        }
        return new String(chars);
    }
}
