package io.isoswitch.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * The crypto a third party does on its side of the wire with nothing but the JDK's DES, written from
 * the specifications and not with the switch's security module: what a terminal or issuer host we
 * did not write computes (working keys from their TMK cryptograms, ISO 9564 format 0 PIN blocks, the
 * ANSI X9.19 MAC, the UnionPay ECB MAC), so that tests check our HSM against it rather
 * than against itself. Keys are clear double-length TDES keys (16 bytes).
 */
public final class PlainJce {
    private PlainJce() {
    }

    /** A double-length key from its TMK cryptogram (3DES ECB), checked against its check value. */
    public static byte[] decryptKey(byte[] tmk, byte[] cryptogram, byte[] checkValue) throws GeneralSecurityException {
        byte[] clear = ecb(tmk, Cipher.DECRYPT_MODE, cryptogram);
        assertThat(Arrays.copyOf(ecb(clear, Cipher.ENCRYPT_MODE, new byte[8]), checkValue.length)).as("key check value").isEqualTo(checkValue);
        return clear;
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

    /**
     * The UnionPay ECB MAC (cup-pos.md 9.3) with a double-length MAK (3DES): XOR the zero-padded
     * 8-byte blocks, hex-expand to 16 characters, encrypt the first 8, XOR with the last 8, encrypt
     * again, hex-expand; the first 8 characters are the MAC.
     */
    public static byte[] cupEcbMac(byte[] mak, byte[] data) throws GeneralSecurityException {
        byte[] padded = Arrays.copyOf(data, (data.length + 7) / 8 * 8);
        byte[] xor = new byte[8];
        for (int offset = 0; offset < padded.length; offset += 8) {
            for (int i = 0; i < 8; i++) {
                xor[i] ^= padded[offset + i];
            }
        }
        byte[] hex = HexFormat.of().withUpperCase().formatHex(xor).getBytes(StandardCharsets.US_ASCII);
        byte[] first = ecb(mak, Cipher.ENCRYPT_MODE, Arrays.copyOfRange(hex, 0, 8));
        for (int i = 0; i < 8; i++) {
            first[i] ^= hex[8 + i];
        }
        byte[] second = ecb(mak, Cipher.ENCRYPT_MODE, first);
        return Arrays.copyOf(HexFormat.of().withUpperCase().formatHex(second).getBytes(StandardCharsets.US_ASCII), 8);
    }

    private static byte[] des(byte[] key8, int mode, byte[] block) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("DES/ECB/NoPadding");
        cipher.init(mode, new SecretKeySpec(key8, "DES"));
        return cipher.doFinal(block);
    }
}
