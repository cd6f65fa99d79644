package io.isoswitch.codec;

import io.netty.buffer.ByteBuf;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Checks runs of BCD or ASCII digits eight bytes at a time (SWAR: one {@code getLong} and a few
 * masks per eight bytes), so that validating every numeric field costs little more than skipping
 * it. Callers have already checked the bytes lie within the frame.
 */
final class DigitScan {
    private static final long LOW_NIBBLES = 0x0F0F0F0F0F0F0F0FL;
    private static final long HIGH_NIBBLES = 0xF0F0F0F0F0F0F0F0L;
    private static final long SIXES = 0x0606060606060606L;
    private static final long CARRIES = 0x1010101010101010L;
    private static final long ASCII_ZEROS = 0x3030303030303030L;
    // lanes are single bytes, so byte order does not matter: use the fastest
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private DigitScan() {
    }

    /** Whether {@code digits} BCD digits at {@code index} are all 0-9 (the pad nibble of an odd count is not checked). */
    static boolean bcdDigits(ByteBuf buf, int index, int digits, boolean padsLeft) {
        int bytes = (digits + 1) >> 1;
        if ((digits & 1) == 0) {
            return bcdBytes(buf, index, index + bytes);
        }
        if (padsLeft) {
            return (buf.getByte(index) & 0x0F) <= 9 && bcdBytes(buf, index + 1, index + bytes);
        }
        return ((buf.getByte(index + bytes - 1) >>> 4) & 0x0F) <= 9 && bcdBytes(buf, index, index + bytes - 1);
    }

    /** Whether every nibble of the bytes {@code from} (inclusive) to {@code to} (exclusive) is 0-9. */
    static boolean bcdBytes(ByteBuf buf, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = buf.getLong(i);
            if (((((x & LOW_NIBBLES) + SIXES) | (((x >>> 4) & LOW_NIBBLES) + SIXES)) & CARRIES) != 0) {
                return false;
            }
        }
        for (; i < to; i++) {
            int b = buf.getByte(i) & 0xFF;
            if ((b >>> 4) > 9 || (b & 0x0F) > 9) {
                return false;
            }
        }
        return true;
    }

    /** Whether the {@code count} bytes at {@code index} are all ASCII '0'-'9'. */
    static boolean asciiDigits(ByteBuf buf, int index, int count) {
        int i = index;
        int to = index + count;
        for (; i + 8 <= to; i += 8) {
            long x = buf.getLong(i);
            if ((x & HIGH_NIBBLES) != ASCII_ZEROS || (((x & LOW_NIBBLES) + SIXES) & CARRIES) != 0) {
                return false;
            }
        }
        for (; i < to; i++) {
            int b = buf.getByte(i);
            if (b < '0' || b > '9') {
                return false;
            }
        }
        return true;
    }

    /** {@link #bcdDigits(ByteBuf, int, int, boolean)} on a heap buffer's array ({@code index} includes the array offset). */
    static boolean bcdDigits(byte[] array, int index, int digits, boolean padsLeft) {
        int bytes = (digits + 1) >> 1;
        if ((digits & 1) == 0) {
            return bcdBytes(array, index, index + bytes);
        }
        if (padsLeft) {
            return (array[index] & 0x0F) <= 9 && bcdBytes(array, index + 1, index + bytes);
        }
        return ((array[index + bytes - 1] >>> 4) & 0x0F) <= 9 && bcdBytes(array, index, index + bytes - 1);
    }

    private static boolean bcdBytes(byte[] array, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(array, i);
            if (((((x & LOW_NIBBLES) + SIXES) | (((x >>> 4) & LOW_NIBBLES) + SIXES)) & CARRIES) != 0) {
                return false;
            }
        }
        for (; i < to; i++) {
            int b = array[i] & 0xFF;
            if ((b >>> 4) > 9 || (b & 0x0F) > 9) {
                return false;
            }
        }
        return true;
    }

    /** {@link #asciiDigits(ByteBuf, int, int)} on a heap buffer's array ({@code index} includes the array offset). */
    static boolean asciiDigits(byte[] array, int index, int count) {
        int i = index;
        int to = index + count;
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(array, i);
            if ((x & HIGH_NIBBLES) != ASCII_ZEROS || (((x & LOW_NIBBLES) + SIXES) & CARRIES) != 0) {
                return false;
            }
        }
        for (; i < to; i++) {
            int b = array[i];
            if (b < '0' || b > '9') {
                return false;
            }
        }
        return true;
    }
}
