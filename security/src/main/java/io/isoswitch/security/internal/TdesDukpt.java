package io.isoswitch.security.internal;

import io.isoswitch.security.DukptKeyUsage;
import io.isoswitch.security.KeyAlgorithm;
import java.util.Arrays;
import org.bouncycastle.crypto.BlockCipher;

/**
 * TDES DUKPT (ANSI X9.24-1:2009): the initial PIN encryption key (IPEK) from a double-length BDK
 * and the KSN, the transaction key for the KSN's 21-bit counter (one non-reversible key generation
 * step per counter bit set), and the working-key variants.
 */
public final class TdesDukpt {
    private static final byte[] KEY_MASK = hex("C0C0C0C000000000C0C0C0C000000000");

    private TdesDukpt() {}

    /** IPEK = TDES(BDK, KSN with counter cleared) ‖ TDES(BDK XOR mask, same). */
    public static byte[] ipek(byte[] bdk, byte[] ksn) {
        checkKsn(ksn);
        byte[] base = Arrays.copyOf(ksn, 8);
        base[7] &= (byte) 0xE0;
        byte[] masked = Bytes.xor(bdk, KEY_MASK);
        byte[] ipek = new byte[16];
        Ciphers.encryptor(KeyAlgorithm.TDES_2KEY, bdk).processBlock(base, 0, ipek, 0);
        Ciphers.encryptor(KeyAlgorithm.TDES_2KEY, masked).processBlock(base, 0, ipek, 8);
        Bytes.wipe(masked);
        return ipek;
    }

    /** The transaction ("base") key for the KSN's counter, before any variant. */
    public static byte[] transactionKey(byte[] ipek, byte[] ksn) {
        checkKsn(ksn);
        byte[] register = Arrays.copyOfRange(ksn, 2, 10);
        int counter = ((register[5] & 0x1F) << 16) | ((register[6] & 0xFF) << 8) | (register[7] & 0xFF);
        register[5] &= (byte) 0xE0;
        register[6] = 0;
        register[7] = 0;
        byte[] key = ipek.clone();
        for (int bit = 1 << 20; bit != 0; bit >>>= 1) {
            if ((counter & bit) != 0) {
                register[5] |= (byte) (bit >>> 16);
                register[6] |= (byte) (bit >>> 8);
                register[7] |= (byte) bit;
                byte[] next = nonReversibleStep(key, register);
                Bytes.wipe(key);
                key = next;
            }
        }
        return key;
    }

    /** The working key of {@code usage} from a transaction key. */
    public static byte[] workingKey(byte[] transactionKey, DukptKeyUsage usage) {
        int position = switch (usage) {
            case PIN -> 7;
            case MAC_REQUEST -> 6;
            case MAC_RESPONSE -> 4;
            case DATA_REQUEST -> 5;
            case DATA_RESPONSE -> 3;
        };
        byte[] key = transactionKey.clone();
        key[position] ^= (byte) 0xFF;
        key[position + 8] ^= (byte) 0xFF;
        if (usage == DukptKeyUsage.DATA_REQUEST || usage == DukptKeyUsage.DATA_RESPONSE) {
            byte[] variant = key;
            key = Ciphers.ecb(Ciphers.encryptor(KeyAlgorithm.TDES_2KEY, variant), variant);
            Bytes.wipe(variant);
        }
        return key;
    }

    /** Working key straight from the BDK. */
    public static byte[] derive(byte[] bdk, byte[] ksn, DukptKeyUsage usage) {
        byte[] ipek = ipek(bdk, ksn);
        byte[] transaction = transactionKey(ipek, ksn);
        try {
            return workingKey(transaction, usage);
        } finally {
            Bytes.wipe(ipek, transaction);
        }
    }

    private static byte[] nonReversibleStep(byte[] key, byte[] data) {
        byte[] right = halfStep(key, data);
        byte[] masked = Bytes.xor(key, KEY_MASK);
        byte[] left = halfStep(masked, data);
        Bytes.wipe(masked);
        byte[] out = new byte[16];
        System.arraycopy(left, 0, out, 0, 8);
        System.arraycopy(right, 0, out, 8, 8);
        Bytes.wipe(left, right);
        return out;
    }

    /** DES(key left, data XOR key right) XOR key right. */
    private static byte[] halfStep(byte[] key, byte[] data) {
        byte[] block = new byte[8];
        for (int i = 0; i < 8; i++) {
            block[i] = (byte) (data[i] ^ key[8 + i]);
        }
        BlockCipher des = Ciphers.des(key, 0, true);
        des.processBlock(block, 0, block, 0);
        for (int i = 0; i < 8; i++) {
            block[i] ^= key[8 + i];
        }
        return block;
    }

    private static void checkKsn(byte[] ksn) {
        if (ksn.length != 10) {
            throw new IllegalArgumentException("a TDES DUKPT ksn is 10 bytes, found " + ksn.length);
        }
    }

    private static byte[] hex(String text) {
        return java.util.HexFormat.of().parseHex(text);
    }
}
