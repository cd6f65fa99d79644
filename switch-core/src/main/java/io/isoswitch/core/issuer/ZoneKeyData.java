package io.isoswitch.core.issuer;

import io.isoswitch.security.ExportedKey;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The zone working keys of a sign-on answer, in field 48 as uppercase hex: each key encrypted
 * under the ZMK (TDES ECB) followed by the first 4 bytes of its check value, the ZPK first, then
 * the ZAK. This is the layout the issuer simulator sends (and the one terminals get in field 62,
 * under their TMK).
 *
 * <pre>
 * [ZPK under ZMK, 16][KCV, 4][ZAK under ZMK, 16][KCV, 4]   = 40 bytes = 80 hex characters
 * </pre>
 *
 * <p>Keys are double-length (16 bytes) when the bytes divide into 20-byte slots, triple-length
 * (24) when they divide into 28-byte ones. Errors say what was expected, never the key bytes.
 */
final class ZoneKeyData {
    static final int CHECK_VALUE_BYTES = 4;
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private ZoneKeyData() {
    }

    /** Field 48's text for {@code keys}, in order. */
    static String format(List<ExportedKey> keys) {
        StringBuilder out = new StringBuilder();
        for (ExportedKey key : keys) {
            out.append(HEX.formatHex(key.cryptogram())).append(HEX.formatHex(key.checkValue(), 0, CHECK_VALUE_BYTES));
        }
        return out.toString();
    }

    /** The keys of field 48, in order; throws {@link IllegalArgumentException} saying what is wrong. */
    static List<ExportedKey> parse(CharSequence text) {
        if (text.length() % 2 != 0) {
            throw new IllegalArgumentException("field 48: expected an even number of hex digits, found " + text.length());
        }
        byte[] bytes;
        try {
            bytes = HEX.parseHex(text);
        } catch (IllegalArgumentException e) {
            // parseHex's own message would quote the key material
            throw new IllegalArgumentException("field 48: expected hex digits only, found another character");
        }
        int keyLength = bytes.length > 0 && bytes.length % (16 + CHECK_VALUE_BYTES) == 0 ? 16
                : bytes.length > 0 && bytes.length % (24 + CHECK_VALUE_BYTES) == 0 ? 24 : -1;
        if (keyLength < 0) {
            throw new IllegalArgumentException("field 48: expected keys of 16 or 24 bytes each followed by a "
                    + CHECK_VALUE_BYTES + "-byte check value, found " + bytes.length + " bytes");
        }
        List<ExportedKey> keys = new ArrayList<>();
        for (int at = 0; at < bytes.length; at += keyLength + CHECK_VALUE_BYTES) {
            keys.add(new ExportedKey(java.util.Arrays.copyOfRange(bytes, at, at + keyLength),
                    java.util.Arrays.copyOfRange(bytes, at + keyLength, at + keyLength + CHECK_VALUE_BYTES)));
        }
        java.util.Arrays.fill(bytes, (byte) 0);
        return keys;
    }
}
