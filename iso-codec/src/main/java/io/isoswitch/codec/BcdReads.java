package io.isoswitch.codec;

/**
 * BCD digits read as numbers straight from a heap array, for {@link IsoMessageView}'s numeric
 * reads: up to 16 digits as one big-endian long converted lane-parallel (SWAR: digit pairs, then
 * 4, 8 and 16 digits with one multiply each) instead of a multiply chain per digit. Every method
 * answers -1 when a digit nibble is above 9, so the caller takes its checked path.
 */
final class BcdReads {
    static final java.lang.invoke.VarHandle BIG_ENDIAN_LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.BIG_ENDIAN);
    private static final long LOW_NIBBLES = 0x0F0F0F0F0F0F0F0FL;
    private static final long SIXES = 0x0606060606060606L;
    private static final long CARRIES = 0x1010101010101010L;

    private BcdReads() {
    }

    /** Up to 18 BCD digits at {@code array[at]} as a number; -1 when a digit nibble is above 9. */
    static long bcdValue(byte[] array, int at, int digits, boolean digitsPadLeft) {
        int bytes = (digits + 1) >> 1;
        if (bytes > Long.BYTES || at + bytes < Long.BYTES) {
            return bcdValueByBytes(array, at, digits, digitsPadLeft);
        }
        long x = (long) BIG_ENDIAN_LONGS.get(array, at + bytes - Long.BYTES);
        if (bytes < Long.BYTES) {
            x &= (1L << (8 * bytes)) - 1; // the bytes before the field
        }
        if ((digits & 1) == 1) {
            x = digitsPadLeft ? x & ~(0xFL << (8 * bytes - 4)) : x >>> 4; // the pad nibble
        }
        return bcdLanes(x);
    }

    /** Up to 8 BCD digits in {@code x} as a number; -1 when a nibble is above 9 (one multiply step fewer than the long form). */
    static int bcdLanes(int bcd) {
        int x = bcd;
        if (((((x & 0x0F0F0F0F) + 0x06060606) | (((x >>> 4) & 0x0F0F0F0F) + 0x06060606)) & 0x10101010) != 0) {
            return -1;
        }
        x = ((x >>> 4) & 0x0F0F0F0F) * 10 + (x & 0x0F0F0F0F);
        x = ((x >>> 8) & 0x00FF00FF) * 100 + (x & 0x00FF00FF);
        return (x >>> 16) * 10_000 + (x & 0xFFFF);
    }

    /** Up to 16 BCD digits in the low end of {@code x} as a number; -1 when a nibble is above 9. */
    static long bcdLanes(long bcd) {
        long x = bcd;
        if (((((x & LOW_NIBBLES) + SIXES) | (((x >>> 4) & LOW_NIBBLES) + SIXES)) & CARRIES) != 0) {
            return -1;
        }
        x = ((x >>> 4) & LOW_NIBBLES) * 10 + (x & LOW_NIBBLES);
        x = ((x >>> 8) & 0x00FF00FF00FF00FFL) * 100 + (x & 0x00FF00FF00FF00FFL);
        x = ((x >>> 16) & 0x0000FFFF0000FFFFL) * 10_000 + (x & 0x0000FFFF0000FFFFL);
        return (x >>> 32) * 100_000_000L + (x & 0xFFFFFFFFL);
    }

    /** {@link #bcdValue} two digits per byte, for 17 or 18 digits and fields at the very start of the array. */
    private static long bcdValueByBytes(byte[] array, int at, int digits, boolean digitsPadLeft) {
        int from = at;
        int to = at + (digits >> 1);
        long value = 0;
        int bad = 0;
        boolean odd = (digits & 1) == 1;
        if (odd && digitsPadLeft) {
            int low = array[from++] & 0x0F;
            bad |= 9 - low;
            value = low;
            to++;
        }
        for (int i = from; i < to; i++) {
            int b = array[i] & 0xFF;
            int high = b >>> 4;
            int low = b & 0x0F;
            bad |= (9 - high) | (9 - low);
            value = value * 100 + high * 10 + low;
        }
        if (odd && !digitsPadLeft) {
            int high = (array[to] & 0xFF) >>> 4;
            bad |= 9 - high;
            value = value * 10 + high;
        }
        return bad < 0 ? -1 : value;
    }
}
