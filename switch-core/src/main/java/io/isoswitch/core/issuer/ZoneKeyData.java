package io.isoswitch.core.issuer;

import io.isoswitch.security.KeyAlgorithm;
import io.isoswitch.security.KeyKind;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Zone working keys as carried in field 48 of a key change answer (or of an issuer's own key
 * change request): one entry per key, each the key encrypted under the ZMK in ECB with its check
 * value, in ASCII.
 *
 * <pre>
 * entry: kind (3) | algorithm (1) | key bytes (2 digits) | cryptogram (hex, 2 x key bytes) | KCV (6 hex)
 *        "ZPK"      'T' TDES        "16"                   32 hex digits                     "0A61B2"
 *        "ZAK"      'A' AES         "24" / "32" ...
 * field 48 = entry entry ...        (a ZPK alone is 44 characters)
 * </pre>
 *
 * <p>Parsing errors say where (character offset) and what was expected, never the key bytes.
 */
final class ZoneKeyData {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final int KCV_HEX = 6;

    /** One key of the field: kind, algorithm, cryptogram under the ZMK and 3-byte check value. */
    record Entry(KeyKind kind, KeyAlgorithm algorithm, byte[] cryptogram, byte[] checkValue) {
        @Override
        public String toString() {
            return "Entry[" + kind + " " + algorithm + " kcv=" + HEX.formatHex(checkValue) + "]";
        }
    }

    private ZoneKeyData() {
    }

    /** Field 48's text for {@code entries}. */
    static String format(List<Entry> entries) {
        StringBuilder out = new StringBuilder();
        for (Entry entry : entries) {
            int length = entry.cryptogram().length;
            out.append(entry.kind().name()).append(entry.algorithm().tr31Code())
                    .append((char) ('0' + length / 10)).append((char) ('0' + length % 10))
                    .append(HEX.formatHex(entry.cryptogram())).append(HEX.formatHex(entry.checkValue(), 0, 3));
        }
        return out.toString();
    }

    /** The entries of field 48's text; throws {@link IllegalArgumentException} saying where it is malformed. */
    static List<Entry> parse(CharSequence text) {
        List<Entry> entries = new ArrayList<>();
        int at = 0;
        while (at < text.length()) {
            need(text, at, 6, "kind, algorithm and key length");
            String kindName = text.subSequence(at, at + 3).toString();
            KeyKind kind = switch (kindName) {
                case "ZPK" -> KeyKind.ZPK;
                case "ZAK" -> KeyKind.ZAK;
                default -> throw new IllegalArgumentException("field 48 at " + at + ": expected ZPK or ZAK, found " + kindName);
            };
            char code = text.charAt(at + 3);
            int length = digit(text, at + 4) * 10 + digit(text, at + 5);
            KeyAlgorithm algorithm;
            try {
                algorithm = KeyAlgorithm.of(code, length);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("field 48 at " + (at + 3) + ": expected a known algorithm and key length, found '"
                        + code + "' with " + length + " bytes", e);
            }
            at += 6;
            need(text, at, 2 * length + KCV_HEX, "a " + length + "-byte cryptogram and a check value");
            byte[] cryptogram = hex(text, at, 2 * length);
            byte[] kcv = hex(text, at + 2 * length, KCV_HEX);
            entries.add(new Entry(kind, algorithm, cryptogram, kcv));
            at += 2 * length + KCV_HEX;
        }
        return entries;
    }

    private static void need(CharSequence text, int at, int count, String what) {
        if (text.length() - at < count) {
            throw new IllegalArgumentException("field 48 at " + at + ": expected " + what + " (" + count
                    + " characters), found " + (text.length() - at));
        }
    }

    private static int digit(CharSequence text, int at) {
        char c = text.charAt(at);
        if (c < '0' || c > '9') {
            throw new IllegalArgumentException("field 48 at " + at + ": expected a digit of the key length, found another character");
        }
        return c - '0';
    }

    private static byte[] hex(CharSequence text, int at, int count) {
        try {
            return HEX.parseHex(text, at, at + count);
        } catch (IllegalArgumentException e) {
            // the message of parseHex would quote key material: say only where
            throw new IllegalArgumentException("field 48 at " + at + ": expected " + count + " hex digits, found another character");
        }
    }
}
