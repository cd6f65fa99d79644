package io.isoswitch.security.internal;

import io.isoswitch.security.PinBlockException;
import io.isoswitch.security.PinBlockFormat;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.BlockCipher;

/**
 * Builds and reads ISO 9564-1 PIN blocks (formats 0, 1, 3 and 4; see {@link PinBlockFormat}).
 * A PIN is an array of digit values 0-9; every clear buffer made here is wiped before returning.
 */
public final class PinBlocks {
    public static final int MIN_PIN = 4;
    public static final int MAX_PIN = 12;

    private PinBlocks() {}

    /** Encrypts {@code pin} as a block of {@code format} with {@code encryptor}. */
    public static byte[] encipher(PinBlockFormat format, BlockCipher encryptor, byte[] pin, String pan, SecureRandom random) {
        checkPin(pin);
        checkCipher(format, encryptor);
        if (format == PinBlockFormat.ISO_4) {
            byte[] pinField = iso4PinField(pin, random);
            try {
                return iso4Encipher(encryptor, pinField, pan);
            } finally {
                Bytes.wipe(pinField);
            }
        }
        byte[] clear = clearBlock(format, pin, pan, random);
        byte[] out = new byte[8];
        encryptor.processBlock(clear, 0, out, 0);
        Bytes.wipe(clear);
        return out;
    }

    /** Decrypts a block of {@code format} and returns the PIN digits; the caller wipes them. */
    public static byte[] decipher(PinBlockFormat format, BlockCipher decryptor, byte[] block, String pan) {
        checkCipher(format, decryptor);
        if (block.length != format.blockLength()) {
            throw new PinBlockException("a " + format + " PIN block is " + format.blockLength() + " bytes, found " + block.length);
        }
        byte[] clear = new byte[block.length];
        decryptor.processBlock(block, 0, clear, 0);
        try {
            if (format == PinBlockFormat.ISO_4) {
                byte[] panField = iso4PanField(pan);
                for (int i = 0; i < 16; i++) {
                    clear[i] ^= panField[i];
                }
                decryptor.processBlock(clear, 0, clear, 0);
                return readPin(format, clear, 4, 0x0A);
            }
            if (format.usesPan()) {
                byte[] panField = panField(pan);
                for (int i = 0; i < 8; i++) {
                    clear[i] ^= panField[i];
                }
            }
            return readPin(format, clear, format == PinBlockFormat.ISO_0 ? 0 : format == PinBlockFormat.ISO_1 ? 1 : 3,
                    format == PinBlockFormat.ISO_0 ? 0x0F : -1);
        } finally {
            Bytes.wipe(clear);
        }
    }

    /** The clear 8-byte block of format 0, 1 or 3 (the PIN field XOR the PAN field). */
    public static byte[] clearBlock(PinBlockFormat format, byte[] pin, String pan, SecureRandom random) {
        checkPin(pin);
        byte[] nibbles = new byte[16];
        nibbles[0] = (byte) switch (format) {
            case ISO_0 -> 0;
            case ISO_1 -> 1;
            case ISO_3 -> 3;
            case ISO_4 -> throw new IllegalArgumentException("format 4 has no 8-byte clear block");
        };
        nibbles[1] = (byte) pin.length;
        System.arraycopy(pin, 0, nibbles, 2, pin.length);
        for (int i = 2 + pin.length; i < 16; i++) {
            nibbles[i] = (byte) switch (format) {
                case ISO_0 -> 0x0F;
                case ISO_1 -> random.nextInt(16);
                default -> 10 + random.nextInt(6);
            };
        }
        byte[] block = Digits.pack(nibbles);
        Bytes.wipe(nibbles);
        if (format.usesPan()) {
            byte[] panField = panField(pan);
            for (int i = 0; i < 8; i++) {
                block[i] ^= panField[i];
            }
        }
        return block;
    }

    /** Format 4: {@code AES(K, AES(K, pinField) XOR panField)}. */
    public static byte[] iso4Encipher(BlockCipher encryptor, byte[] pinField, String pan) {
        byte[] panField = iso4PanField(pan);
        byte[] out = new byte[16];
        encryptor.processBlock(pinField, 0, out, 0);
        for (int i = 0; i < 16; i++) {
            out[i] ^= panField[i];
        }
        encryptor.processBlock(out, 0, out, 0);
        return out;
    }

    /** Format 4 PIN field: {@code 4 L PIN A-fill} to 8 bytes, then 8 random bytes. */
    public static byte[] iso4PinField(byte[] pin, SecureRandom random) {
        checkPin(pin);
        byte[] nibbles = new byte[16];
        nibbles[0] = 4;
        nibbles[1] = (byte) pin.length;
        System.arraycopy(pin, 0, nibbles, 2, pin.length);
        Arrays.fill(nibbles, 2 + pin.length, 16, (byte) 0x0A);
        byte[] field = Arrays.copyOf(Digits.pack(nibbles), 16);
        Bytes.wipe(nibbles);
        byte[] tail = new byte[8];
        random.nextBytes(tail);
        System.arraycopy(tail, 0, field, 8, 8);
        return field;
    }

    /** Formats 0 and 3: {@code 0000} and the 12 rightmost PAN digits before the check digit. */
    public static byte[] panField(String pan) {
        byte[] digits = Digits.parse(pan, "pan", 8, 19);
        byte[] nibbles = new byte[16];
        int available = Math.min(12, digits.length - 1);
        System.arraycopy(digits, digits.length - 1 - available, nibbles, 16 - available, available);
        return Digits.pack(nibbles);
    }

    /** Format 4: PAN length minus 12 (0 if shorter), the PAN left-padded to 12, zero-filled to 32 digits. */
    public static byte[] iso4PanField(String pan) {
        byte[] digits = Digits.parse(pan, "pan", 8, 19);
        byte[] nibbles = new byte[32];
        nibbles[0] = (byte) Math.max(0, digits.length - 12);
        int start = 1 + Math.max(0, 12 - digits.length);
        System.arraycopy(digits, 0, nibbles, start, digits.length);
        return Digits.pack(nibbles);
    }

    private static byte[] readPin(PinBlockFormat format, byte[] clear, int control, int fill) {
        if (Digits.nibble(clear, 0) != control) {
            throw new PinBlockException(format + " PIN block control nibble is wrong (wrong key, PAN or format)");
        }
        int length = Digits.nibble(clear, 1);
        if (length < MIN_PIN || length > MAX_PIN) {
            throw new PinBlockException(format + " PIN block declares a PIN length outside 4..12");
        }
        byte[] pin = new byte[length];
        for (int i = 0; i < length; i++) {
            int n = Digits.nibble(clear, 2 + i);
            if (n > 9) {
                Bytes.wipe(pin);
                throw new PinBlockException(format + " PIN block has a non-decimal PIN digit");
            }
            pin[i] = (byte) n;
        }
        for (int i = 2 + length; i < 16; i++) {
            int n = Digits.nibble(clear, i);
            boolean ok = fill >= 0 ? n == fill : format != PinBlockFormat.ISO_3 || n >= 10;
            if (!ok) {
                Bytes.wipe(pin);
                throw new PinBlockException(format + " PIN block fill is wrong (wrong key, PAN or format)");
            }
        }
        return pin;
    }

    private static void checkPin(byte[] pin) {
        if (pin.length < MIN_PIN || pin.length > MAX_PIN) {
            throw new IllegalArgumentException("pin must be 4..12 digits, found " + pin.length);
        }
    }

    private static void checkCipher(PinBlockFormat format, BlockCipher cipher) {
        if (cipher.getBlockSize() != format.blockLength()) {
            throw new IllegalArgumentException(format + " needs a " + format.blockLength()
                    + "-byte block cipher, the key's is " + cipher.getBlockSize());
        }
    }
}
