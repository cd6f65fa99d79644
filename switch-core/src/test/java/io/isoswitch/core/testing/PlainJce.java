package io.isoswitch.core.testing;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * The crypto a third party does on its side of the wire with nothing but the JDK's DES: what a
 * terminal or issuer host we did not write computes, so that tests check our HSM against it rather
 * than against itself. Keys are clear double-length TDES keys (16 bytes).
 */
public final class PlainJce {
    private PlainJce() {
    }

    /** 3DES ECB under a double-length key (K1 K2 K1). */
    public static byte[] ecb(byte[] doubleLengthKey, int mode, byte[] data) throws GeneralSecurityException {
        byte[] k = new byte[24];
        System.arraycopy(doubleLengthKey, 0, k, 0, 16);
        System.arraycopy(doubleLengthKey, 0, k, 16, 8);
        Cipher cipher = Cipher.getInstance("DESede/ECB/NoPadding");
        cipher.init(mode, new SecretKeySpec(k, "DESede"));
        return cipher.doFinal(data);
    }

    /** ISO 9564 format 0: 0, length, PIN, F padding, XOR 0000 and the 12 PAN digits before the check digit. */
    public static byte[] iso0PinBlock(String pin, String pan) {
        byte[] pinField = HexFormat.of().parseHex(String.format(Locale.ROOT, "0%X%s", pin.length(), pin) + "F".repeat(14 - pin.length()));
        byte[] panField = HexFormat.of().parseHex("0000" + pan.substring(pan.length() - 13, pan.length() - 1));
        byte[] block = new byte[8];
        for (int i = 0; i < 8; i++) {
            block[i] = (byte) (pinField[i] ^ panField[i]);
        }
        return block;
    }

    /** ANSI X9.19 (ISO 9797-1 algorithm 3, zero padding): DES-CBC under K1, then decrypt K2, encrypt K1. */
    public static byte[] x919(byte[] key, byte[] data) throws GeneralSecurityException {
        byte[] k1 = Arrays.copyOfRange(key, 0, 8);
        byte[] k2 = Arrays.copyOfRange(key, 8, 16);
        byte[] padded = Arrays.copyOf(data, (data.length + 7) / 8 * 8);
        byte[] chain = new byte[8];
        for (int offset = 0; offset < padded.length; offset += 8) {
            for (int i = 0; i < 8; i++) {
                chain[i] ^= padded[offset + i];
            }
            chain = des(k1, Cipher.ENCRYPT_MODE, chain);
        }
        return des(k1, Cipher.ENCRYPT_MODE, des(k2, Cipher.DECRYPT_MODE, chain));
    }

    private static byte[] des(byte[] key8, int mode, byte[] block) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("DES/ECB/NoPadding");
        cipher.init(mode, new SecretKeySpec(key8, "DES"));
        return cipher.doFinal(block);
    }
}
