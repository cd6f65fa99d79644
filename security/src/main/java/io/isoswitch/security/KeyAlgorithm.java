package io.isoswitch.security;

/**
 * The algorithm and length of a key. TDES keys are written K1 ‖ K2 (double length, K3 = K1) or
 * K1 ‖ K2 ‖ K3 (triple length); a single-DES key is a double-length key with K1 = K2.
 *
 * <p>{@link #tr31Code()} is the algorithm byte of a TR-31 header: {@code T} TDES, {@code A} AES.
 * X9.143 has no code for SM4; iso-switch writes {@code S} and marks SM4 key blocks with its
 * proprietary kind block, so only iso-switch reads them.
 */
public enum KeyAlgorithm {
    TDES_2KEY(16, 8, 'T'),
    TDES_3KEY(24, 8, 'T'),
    AES_128(16, 16, 'A'),
    AES_192(24, 16, 'A'),
    AES_256(32, 16, 'A'),
    SM4(16, 16, 'S');

    private final int keyLength;
    private final int blockSize;
    private final char tr31Code;

    KeyAlgorithm(int keyLength, int blockSize, char tr31Code) {
        this.keyLength = keyLength;
        this.blockSize = blockSize;
        this.tr31Code = tr31Code;
    }

    /** Key length in bytes. */
    public int keyLength() {
        return keyLength;
    }

    /** Cipher block size in bytes: 8 for TDES, 16 for AES and SM4. */
    public int blockSize() {
        return blockSize;
    }

    public char tr31Code() {
        return tr31Code;
    }

    public boolean isTdes() {
        return tr31Code == 'T';
    }

    public boolean isAes() {
        return tr31Code == 'A';
    }

    /** The algorithm with this TR-31 code and key length, for reading key blocks. */
    public static KeyAlgorithm of(char tr31Code, int keyLength) {
        for (KeyAlgorithm algorithm : values()) {
            if (algorithm.tr31Code == tr31Code && algorithm.keyLength == keyLength) {
                return algorithm;
            }
        }
        throw new KeyBlockException(
                "no key algorithm for TR-31 code '" + tr31Code + "' with " + keyLength + " key bytes");
    }
}
