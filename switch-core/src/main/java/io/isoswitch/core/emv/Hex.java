package io.isoswitch.core.emv;

import java.util.HexFormat;
import java.util.Locale;

/** Hex values of the EMV parameters file, checked with the name of the key they came from. */
final class Hex {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private Hex() {
    }

    /**
     * The bytes of {@code value}, an even number of hex digits, from {@code minBytes} to
     * {@code maxBytes} long. White space is ignored, so that a long modulus can be written over
     * several lines (a YAML folded block joins them with spaces).
     *
     * @throws IllegalArgumentException naming {@code key} and what was expected
     */
    static byte[] parse(String key, String value, int minBytes, int maxBytes) {
        if (value == null) {
            throw new IllegalArgumentException(key + ": missing (expected " + bytes(minBytes, maxBytes) + " as hex digits)");
        }
        String digits = value.replaceAll("\\s+", "");
        if (digits.length() % 2 != 0 || !digits.matches("[0-9A-Fa-f]*")) {
            throw new IllegalArgumentException(key + ": expected an even number of hex digits (0-9, A-F), found '"
                    + abbreviate(digits) + "'");
        }
        byte[] bytes = HEX.parseHex(digits);
        if (bytes.length < minBytes || bytes.length > maxBytes) {
            throw new IllegalArgumentException(key + ": expected " + bytes(minBytes, maxBytes) + ", found " + bytes.length + " bytes");
        }
        return bytes;
    }

    static String format(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    private static String bytes(int min, int max) {
        return min == max ? min + " bytes (" + 2 * min + " hex digits)" : min + " to " + max + " bytes";
    }

    /** Keys and AIDs are public data, but a whole modulus makes an unreadable error line. */
    private static String abbreviate(String digits) {
        return digits.length() <= 24 ? digits : digits.substring(0, 20).toUpperCase(Locale.ROOT) + "...";
    }
}
