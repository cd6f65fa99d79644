package io.isoswitch.security.internal;

import java.util.HexFormat;
import org.bouncycastle.crypto.BlockCipher;

/**
 * IBM 3624 PIN offsets. The PVK encrypts the validation data (16 hex digits, usually PAN digits
 * padded with {@code F}); the result is decimalised through a 16-digit table, and its leftmost
 * digits are the natural PIN. Offset = customer PIN minus natural PIN, digit by digit, mod 10.
 */
public final class Ibm3624 {
    private Ibm3624() {}

    /** The natural PIN of {@code length} digits. */
    public static byte[] naturalPin(BlockCipher pvkEncryptor, String validationData, String decimalisationTable, int length) {
        byte[] table = Digits.parse(decimalisationTable, "decimalisationTable", 16, 16);
        if (validationData == null || validationData.length() != 16) {
            throw new IllegalArgumentException("validationData must be 16 hex digits");
        }
        if (length < 4 || length > 16) {
            throw new IllegalArgumentException("length must be 4..16, found " + length);
        }
        byte[] data;
        try {
            data = HexFormat.of().parseHex(validationData);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("validationData must be 16 hex digits");
        }
        byte[] encrypted = new byte[8];
        pvkEncryptor.processBlock(data, 0, encrypted, 0);
        byte[] natural = new byte[length];
        for (int i = 0; i < length; i++) {
            natural[i] = table[Digits.nibble(encrypted, i)];
        }
        Bytes.wipe(encrypted);
        return natural;
    }

    /** The offset of {@code offsetLength} digits that turns the natural PIN into {@code pin}. */
    public static byte[] offset(BlockCipher pvkEncryptor, byte[] pin, String validationData, String decimalisationTable, int offsetLength) {
        if (offsetLength < 4 || offsetLength > pin.length) {
            throw new IllegalArgumentException("offsetLength must be 4..PIN length, found " + offsetLength);
        }
        byte[] natural = naturalPin(pvkEncryptor, validationData, decimalisationTable, offsetLength);
        byte[] offset = new byte[offsetLength];
        for (int i = 0; i < offsetLength; i++) {
            offset[i] = (byte) ((pin[i] - natural[i] + 10) % 10);
        }
        Bytes.wipe(natural);
        return offset;
    }
}
