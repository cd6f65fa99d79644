package io.isoswitch.sim.wire;

import io.isoswitch.security.ExportedKey;
import java.util.HexFormat;
import java.util.List;

/**
 * The working keys of a sign-on reply, each a cryptogram under the key-encrypting key (ZMK or TMK)
 * followed by the first 4 bytes of its check value, concatenated in a fixed order (PIN key, MAC key,
 * then data key if any), as UnionPay field 62 carries them (cup-pos.md 7.2). In text fields
 * (iso87binary and iso87ascii field 48 or 62) the same bytes travel as uppercase hex.
 *
 * <pre>
 * double-length keys: [PIN key 16][CV 4][MAC key 16][CV 4]  = 40 bytes = 80 hex characters
 * </pre>
 */
public final class WorkingKeys {
    /** Bytes of check value that follow each key. */
    public static final int CHECK_VALUE_BYTES = 4;
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private WorkingKeys() {
    }

    /** The keys in order as bytes. */
    public static byte[] toBytes(List<ExportedKey> keys) {
        int length = 0;
        for (ExportedKey key : keys) {
            length += key.cryptogram().length + CHECK_VALUE_BYTES;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (ExportedKey key : keys) {
            byte[] cryptogram = key.cryptogram();
            System.arraycopy(cryptogram, 0, out, at, cryptogram.length);
            at += cryptogram.length;
            System.arraycopy(key.checkValue(), 0, out, at, CHECK_VALUE_BYTES);
            at += CHECK_VALUE_BYTES;
        }
        return out;
    }

    /** The keys in order as uppercase hex. */
    public static String toHex(List<ExportedKey> keys) {
        return HEX.formatHex(toBytes(keys));
    }

    /** Splits {@code bytes} into keys of {@code keyLength} bytes, each followed by its check value. */
    public static List<ExportedKey> fromBytes(byte[] bytes, int keyLength) {
        int slot = keyLength + CHECK_VALUE_BYTES;
        if (bytes.length == 0 || bytes.length % slot != 0) {
            throw new IllegalArgumentException("working keys: expected a multiple of " + slot + " bytes, found "
                    + bytes.length);
        }
        java.util.ArrayList<ExportedKey> keys = new java.util.ArrayList<>();
        for (int at = 0; at < bytes.length; at += slot) {
            byte[] cryptogram = java.util.Arrays.copyOfRange(bytes, at, at + keyLength);
            byte[] checkValue = java.util.Arrays.copyOfRange(bytes, at + keyLength, at + slot);
            keys.add(new ExportedKey(cryptogram, checkValue));
        }
        return keys;
    }

    /** As {@link #fromBytes} from uppercase or lowercase hex. */
    public static List<ExportedKey> fromHex(CharSequence hex, int keyLength) {
        try {
            return fromBytes(HEX.parseHex(hex), keyLength);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("working keys: expected hex, " + e.getMessage(), e);
        }
    }
}
