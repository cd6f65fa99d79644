package io.isoswitch.security.internal;

import org.bouncycastle.crypto.BlockCipher;

/**
 * CVV / CVC (and CVV2, iCVV with service codes 000 and 999). PAN, expiry (YYMM) and service code,
 * zero-padded to 32 digits, make blocks 1 and 2; DES(key A, block 1) XOR block 2 is encrypted
 * with the double-length key A ‖ B; the result is decimalised and the first 3 digits kept.
 */
public final class CardVerification {
    private CardVerification() {}

    /**
     * @param keyA a single-DES encryptor under the left half of the CVK
     * @param keyAB a TDES encryptor under the whole CVK
     */
    public static byte[] cvv(BlockCipher keyA, BlockCipher keyAB, String pan, String expiryYymm, String serviceCode) {
        byte[] panDigits = Digits.parse(pan, "pan", 12, 19);
        byte[] expiry = Digits.parse(expiryYymm, "expiry", 4, 4);
        byte[] service = Digits.parse(serviceCode, "serviceCode", 3, 3);
        byte[] nibbles = new byte[32];
        System.arraycopy(panDigits, 0, nibbles, 0, panDigits.length);
        System.arraycopy(expiry, 0, nibbles, panDigits.length, 4);
        System.arraycopy(service, 0, nibbles, panDigits.length + 4, 3);
        byte[] blocks = Digits.pack(nibbles);
        byte[] work = new byte[8];
        keyA.processBlock(blocks, 0, work, 0);
        for (int i = 0; i < 8; i++) {
            work[i] ^= blocks[8 + i];
        }
        keyAB.processBlock(work, 0, work, 0);
        byte[] cvv = Digits.decimalise(work, 3);
        Bytes.wipe(panDigits, nibbles, blocks, work);
        return cvv;
    }
}
