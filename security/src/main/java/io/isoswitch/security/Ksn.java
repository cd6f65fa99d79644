package io.isoswitch.security;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A DUKPT key serial number: 10 bytes for TDES DUKPT (X9.24-1: key set ID, device ID, 21-bit
 * counter), 12 bytes for AES DUKPT (X9.24-3: 8-byte initial key ID, 32-bit counter). Not secret.
 */
public final class Ksn {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private final byte[] bytes;

    private Ksn(byte[] bytes) {
        if (bytes.length != 10 && bytes.length != 12) {
            throw new IllegalArgumentException("ksn must be 10 (TDES) or 12 (AES) bytes, found " + bytes.length);
        }
        this.bytes = bytes.clone();
    }

    public static Ksn of(byte[] bytes) {
        return new Ksn(bytes);
    }

    public static Ksn parse(String hex) {
        try {
            return new Ksn(HEX.parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ksn must be 20 or 24 hex digits, found " + hex.length() + " characters");
        }
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** Whether this is an AES DUKPT (12-byte) serial number. */
    public boolean isAes() {
        return bytes.length == 12;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Ksn that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return HEX.formatHex(bytes);
    }
}
