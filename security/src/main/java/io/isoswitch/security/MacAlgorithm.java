package io.isoswitch.security;

/**
 * MAC algorithms and the key algorithms each accepts. ISO 9797-1 algorithm 1 with a single-DES key
 * is the same computation as with a double-length key whose halves are equal.
 */
public enum MacAlgorithm {
    /** ISO 9797-1 algorithm 1 (CBC-MAC, ANSI X9.9 with DES), padding method 1 (zeros). */
    ISO9797_1_ALG1_PAD1(8),
    /** ISO 9797-1 algorithm 1, padding method 2 ({@code 80} then zeros). */
    ISO9797_1_ALG1_PAD2(8),
    /** ISO 9797-1 algorithm 3, padding method 1: the ANSI X9.19 retail MAC. */
    ANSI_X9_19(8),
    /** ISO 9797-1 algorithm 3 with padding method 2. */
    ISO9797_1_ALG3_PAD2(8),
    /** AES-CMAC (NIST SP 800-38B, RFC 4493). */
    AES_CMAC(16),
    /**
     * The China UnionPay POS "ECB" MAC (cup-pos.md section 9.3): XOR of the blocks, hex-expanded,
     * two encryptions; 8 ASCII hex characters. With an SM4 key it works on 16-byte blocks.
     */
    CUP_ECB(8),
    /** ISO 9797-1 algorithm 1 with SM4 (GB/T 15852.1), padding method 1. */
    SM4_CBC_MAC(16);

    private final int length;

    MacAlgorithm(int length) {
        this.length = length;
    }

    /** Bytes in the full MAC; verification also accepts a leftmost part of at least 4 bytes. */
    public int length() {
        return length;
    }

    /** Whether a key of this algorithm can compute this MAC. */
    public boolean accepts(KeyAlgorithm keyAlgorithm) {
        return switch (this) {
            case ISO9797_1_ALG1_PAD1, ISO9797_1_ALG1_PAD2, ANSI_X9_19, ISO9797_1_ALG3_PAD2 -> keyAlgorithm.isTdes();
            case AES_CMAC -> keyAlgorithm.isAes();
            case CUP_ECB -> keyAlgorithm.isTdes() || keyAlgorithm == KeyAlgorithm.SM4;
            case SM4_CBC_MAC -> keyAlgorithm == KeyAlgorithm.SM4;
        };
    }
}
