package io.isoswitch.codec.spec;

import io.netty.buffer.ByteBuf;

/**
 * How a variable field's length prefix is written. The prefix states the field's length in its
 * own units (digits for BCD numbers, characters for text, bytes for binary).
 *
 * <pre>
 * LLL = 123 as ASCII   31 32 33
 *           as EBCDIC  F1 F2 F3
 *           as BCD     01 23
 *           as BINARY  00 7B
 * </pre>
 */
public enum PrefixEncoding {
    ASCII, EBCDIC, BCD, BINARY;

    /** Bytes of a prefix of {@code digits} decimal digits. */
    public int width(int digits) {
        return switch (this) {
            case ASCII, EBCDIC -> digits;
            case BCD, BINARY -> (digits + 1) / 2;
        };
    }

    /**
     * Reads a prefix of {@code digits} digits at {@code index} (the caller checked the bytes are
     * there) and returns the length it states, or -1 when the bytes are not a valid prefix.
     */
    public int read(ByteBuf buf, int index, int digits) {
        int width = width(digits);
        int value = 0;
        for (int i = 0; i < width; i++) {
            int b = buf.getByte(index + i) & 0xFF;
            switch (this) {
                case ASCII -> {
                    if (b < '0' || b > '9') {
                        return -1;
                    }
                    value = value * 10 + (b - '0');
                }
                case EBCDIC -> {
                    if (b < 0xF0 || b > 0xF9) {
                        return -1;
                    }
                    value = value * 10 + (b - 0xF0);
                }
                case BCD -> {
                    int high = b >>> 4;
                    int low = b & 0x0F;
                    if (high > 9 || low > 9) {
                        return -1;
                    }
                    value = value * 100 + high * 10 + low;
                }
                case BINARY -> value = (value << 8) | b;
            }
        }
        return value;
    }

    /** Writes a prefix of {@code digits} digits stating {@code length} at the writer index. */
    public void write(ByteBuf out, int digits, int length) {
        switch (this) {
            case ASCII, EBCDIC -> {
                int base = this == ASCII ? '0' : 0xF0;
                for (int i = digits - 1; i >= 0; i--) {
                    out.writeByte(base + (length / pow10(i)) % 10);
                }
            }
            case BCD -> {
                int width = width(digits);
                for (int i = width - 1; i >= 0; i--) {
                    int pair = (length / pow10(2 * i)) % 100;
                    out.writeByte(((pair / 10) << 4) | (pair % 10));
                }
            }
            case BINARY -> {
                int width = width(digits);
                for (int i = width - 1; i >= 0; i--) {
                    out.writeByte(length >>> (8 * i));
                }
            }
        }
    }

    /**
     * Writes a prefix of {@code digits} digits stating {@code length} into {@code array} at
     * {@code at} (the caller made room for {@link #width(int)} bytes): the same bytes as
     * {@link #write(ByteBuf, int, int)}, without a buffer call per byte.
     */
    public void write(byte[] array, int at, int digits, int length) {
        int rest = length;
        switch (this) {
            case ASCII, EBCDIC -> {
                int base = this == ASCII ? '0' : 0xF0;
                for (int i = at + digits - 1; i >= at; i--) {
                    array[i] = (byte) (base + rest % 10);
                    rest /= 10;
                }
            }
            case BCD -> {
                for (int i = at + width(digits) - 1; i >= at; i--) {
                    int pair = rest % 100;
                    array[i] = (byte) (((pair / 10) << 4) | (pair % 10));
                    rest /= 100;
                }
            }
            case BINARY -> {
                for (int i = at + width(digits) - 1; i >= at; i--) {
                    array[i] = (byte) rest;
                    rest >>>= 8;
                }
            }
        }
    }

    private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000};

    private static int pow10(int exponent) {
        return POWERS_OF_TEN[exponent];
    }
}
