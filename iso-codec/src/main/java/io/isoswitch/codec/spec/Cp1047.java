package io.isoswitch.codec.spec;

import java.nio.charset.Charset;

/**
 * EBCDIC code page 1047 as two lookup tables, so that EBCDIC fields are read and written a byte
 * at a time without a CharsetDecoder (and without allocating).
 */
public final class Cp1047 {
    private static final char[] TO_CHAR = new char[256];
    private static final byte[] TO_BYTE = new byte[256];
    private static final boolean[] MAPPED = new boolean[256];

    static {
        Charset cp1047 = Charset.forName("IBM1047");
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        String decoded = new String(all, cp1047);
        for (int i = 0; i < 256; i++) {
            char c = decoded.charAt(i);
            TO_CHAR[i] = c;
            if (c < 256) {
                TO_BYTE[c] = (byte) i;
                MAPPED[c] = true;
            }
        }
    }

    private Cp1047() {
    }

    /** The character an EBCDIC byte stands for. */
    public static char toChar(byte b) {
        return TO_CHAR[b & 0xFF];
    }

    /** The EBCDIC byte of a Latin-1 character. */
    public static byte toByte(char c) {
        if (!encodable(c)) {
            throw new IllegalArgumentException("character U+" + Integer.toHexString(c) + " has no cp1047 byte");
        }
        return TO_BYTE[c];
    }

    /** Whether {@code c} has a byte in cp1047 (every Latin-1 character has). */
    public static boolean encodable(char c) {
        return c < 256 && MAPPED[c];
    }
}
