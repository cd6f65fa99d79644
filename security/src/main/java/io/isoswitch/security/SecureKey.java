package io.isoswitch.security;

import java.util.HexFormat;
import java.util.Objects;

/**
 * An opaque key handle: a TR-31 key block under the local master key, with the kind, algorithm and
 * check value read from it. It is safe to store, log and pass around; only the {@link Hsm} that
 * holds the master key can use it, and only for what its kind allows.
 *
 * <p>{@link #toString()} shows kind, algorithm and the 3-byte check value, never key material.
 */
public final class SecureKey {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private final KeyKind kind;
    private final KeyAlgorithm algorithm;
    private final String keyBlock;
    private final byte[] checkValue;
    /** {@link #kcv()}, formatted once: the journal stores it with every encrypted PAN. */
    private final String kcv;

    /**
     * Wraps a key block and what it declares. An {@link Hsm} verifies the block (and takes kind
     * and algorithm from its authenticated header) before every use, so a forged handle gains
     * nothing.
     */
    public SecureKey(KeyKind kind, KeyAlgorithm algorithm, String keyBlock, byte[] checkValue) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        this.keyBlock = Objects.requireNonNull(keyBlock, "keyBlock");
        Objects.requireNonNull(checkValue, "checkValue");
        if (checkValue.length < 3) {
            throw new IllegalArgumentException("checkValue must be at least 3 bytes, found " + checkValue.length);
        }
        this.checkValue = checkValue.clone();
        this.kcv = HEX.formatHex(checkValue, 0, 3);
    }

    public KeyKind kind() {
        return kind;
    }

    public KeyAlgorithm algorithm() {
        return algorithm;
    }

    /** The TR-31 key block under the local master key: what configuration and databases store. */
    public String keyBlock() {
        return keyBlock;
    }

    /** The key check value as 6 hex digits (3 bytes), the usual display form. */
    public String kcv() {
        return kcv;
    }

    /** The leftmost {@code bytes} bytes of the check value as hex (4 for UnionPay sign-on replies). */
    public String checkValue(int bytes) {
        if (bytes < 1 || bytes > checkValue.length) {
            throw new IllegalArgumentException("bytes must be 1.." + checkValue.length + ", found " + bytes);
        }
        return HEX.formatHex(checkValue, 0, bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SecureKey that && keyBlock.equals(that.keyBlock);
    }

    @Override
    public int hashCode() {
        return keyBlock.hashCode();
    }

    @Override
    public String toString() {
        return "SecureKey[" + kind + " " + algorithm + " kcv=" + kcv() + "]";
    }
}
