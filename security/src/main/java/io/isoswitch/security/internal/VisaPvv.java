package io.isoswitch.security.internal;

import org.bouncycastle.crypto.BlockCipher;

/**
 * Visa PIN verification values. Transformed security parameter (TSP) = the 11 PAN digits left of
 * the check digit, the PVK index (1 digit) and the leftmost 4 PIN digits; the PVK encrypts it and
 * the result is decimalised (digits first, then letters minus 10); the PVV is the first 4 digits.
 */
public final class VisaPvv {
    private VisaPvv() {}

    public static byte[] pvv(BlockCipher pvkEncryptor, String pan, int pvki, byte[] pin) {
        byte[] panDigits = Digits.parse(pan, "pan", 12, 19);
        if (pvki < 0 || pvki > 9) {
            throw new IllegalArgumentException("pvki must be 0..9, found " + pvki);
        }
        if (pin.length < 4) {
            throw new IllegalArgumentException("pin must have at least 4 digits");
        }
        byte[] tsp = new byte[16];
        System.arraycopy(panDigits, panDigits.length - 12, tsp, 0, 11);
        tsp[11] = (byte) pvki;
        System.arraycopy(pin, 0, tsp, 12, 4);
        byte[] packed = Digits.pack(tsp);
        byte[] encrypted = new byte[8];
        pvkEncryptor.processBlock(packed, 0, encrypted, 0);
        byte[] pvv = Digits.decimalise(encrypted, 4);
        Bytes.wipe(tsp, packed, encrypted);
        return pvv;
    }
}
