package io.isoswitch.security.internal;

import io.isoswitch.security.DukptKeyUsage;
import io.isoswitch.security.KeyAlgorithm;
import java.util.Arrays;
import org.bouncycastle.crypto.BlockCipher;

/**
 * AES DUKPT (ANSI X9.24-3-2017). Each key is AES-ECB(parent, derivation data), one 16-byte block
 * per 128 bits of the key derived:
 *
 * <pre>
 * 01 | block counter | key usage (2) | algorithm (2) | length in bits (2) | 8 bytes
 * usage 8001 initial key (8 bytes = initial key ID), 8000 intermediate derivation key,
 * 1000 PIN, 2000/2001 MAC generate/verify, 3000/3001 data encrypt/decrypt
 * (8 bytes = derivation ID ‖ transaction counter)
 * </pre>
 * The KSN is the 8-byte initial key ID (BDK ID ‖ derivation ID) and a 32-bit counter.
 */
public final class AesDukpt {
    private static final int INITIAL_KEY = 0x8001;
    private static final int DERIVATION_KEY = 0x8000;

    private AesDukpt() {}

    /** The terminal's initial key from the BDK. */
    public static byte[] initialKey(KeyAlgorithm bdkAlgorithm, byte[] bdk, byte[] ksn) {
        checkKsn(ksn);
        return derive(bdkAlgorithm, bdk, INITIAL_KEY, bdkAlgorithm, Arrays.copyOf(ksn, 8));
    }

    /** The intermediate derivation key for the KSN's counter, walked one set bit at a time. */
    public static byte[] derivationKey(KeyAlgorithm bdkAlgorithm, byte[] initialKey, byte[] ksn) {
        checkKsn(ksn);
        int counter = counter(ksn);
        byte[] data = Arrays.copyOfRange(ksn, 4, 12);
        data[4] = data[5] = data[6] = data[7] = 0;
        int working = 0;
        byte[] key = initialKey.clone();
        for (int bit = 1 << 31; bit != 0; bit >>>= 1) {
            if ((counter & bit) != 0) {
                working |= bit;
                putInt(data, 4, working);
                byte[] next = derive(bdkAlgorithm, key, DERIVATION_KEY, bdkAlgorithm, data);
                Bytes.wipe(key);
                key = next;
            }
        }
        return key;
    }

    /** A working key of {@code usage} and {@code keyAlgorithm} from the derivation key. */
    public static byte[] workingKey(KeyAlgorithm bdkAlgorithm, byte[] derivationKey, byte[] ksn,
                                    DukptKeyUsage usage, KeyAlgorithm keyAlgorithm) {
        checkKsn(ksn);
        return derive(bdkAlgorithm, derivationKey, usage.aesUsage(), keyAlgorithm, Arrays.copyOfRange(ksn, 4, 12));
    }

    /** Working key straight from the BDK. */
    public static byte[] derive(KeyAlgorithm bdkAlgorithm, byte[] bdk, byte[] ksn, DukptKeyUsage usage, KeyAlgorithm keyAlgorithm) {
        byte[] initial = initialKey(bdkAlgorithm, bdk, ksn);
        byte[] derivation = derivationKey(bdkAlgorithm, initial, ksn);
        try {
            return workingKey(bdkAlgorithm, derivation, ksn, usage, keyAlgorithm);
        } finally {
            Bytes.wipe(initial, derivation);
        }
    }

    private static byte[] derive(KeyAlgorithm parentAlgorithm, byte[] parent, int usage, KeyAlgorithm derived, byte[] tail) {
        int bits = derived.keyLength() * 8;
        int algorithmCode = switch (derived) {
            case TDES_2KEY -> 0;
            case TDES_3KEY -> 1;
            case AES_128 -> 2;
            case AES_192 -> 3;
            case AES_256 -> 4;
            case SM4 -> throw new IllegalArgumentException("AES DUKPT does not derive SM4 keys");
        };
        byte[] data = new byte[16];
        data[0] = 1;
        data[2] = (byte) (usage >>> 8);
        data[3] = (byte) usage;
        data[5] = (byte) algorithmCode;
        data[6] = (byte) (bits >>> 8);
        data[7] = (byte) bits;
        System.arraycopy(tail, 0, data, 8, 8);
        BlockCipher aes = Ciphers.encryptor(parentAlgorithm, parent);
        int blocks = (derived.keyLength() + 15) / 16;
        byte[] out = new byte[blocks * 16];
        for (int i = 0; i < blocks; i++) {
            data[1] = (byte) (i + 1);
            aes.processBlock(data, 0, out, i * 16);
        }
        byte[] key = Arrays.copyOf(out, derived.keyLength());
        Bytes.wipe(out);
        return key;
    }

    private static int counter(byte[] ksn) {
        return ((ksn[8] & 0xFF) << 24) | ((ksn[9] & 0xFF) << 16) | ((ksn[10] & 0xFF) << 8) | (ksn[11] & 0xFF);
    }

    private static void putInt(byte[] out, int offset, int value) {
        out[offset] = (byte) (value >>> 24);
        out[offset + 1] = (byte) (value >>> 16);
        out[offset + 2] = (byte) (value >>> 8);
        out[offset + 3] = (byte) value;
    }

    private static void checkKsn(byte[] ksn) {
        if (ksn.length != 12) {
            throw new IllegalArgumentException("an AES DUKPT ksn is 12 bytes, found " + ksn.length);
        }
    }
}
