package io.isoswitch.codec;

import io.netty.buffer.ByteBuf;

/**
 * The encoder's second tier (the first is {@code IsoMessageWriter.fastEnd}, for Strings of n and
 * z as BCD and ans as ASCII, which uses this class's static loops): checks a text value and writes
 * its prefix and content straight into a heap buffer's array, one table lookup per character
 * ({@link CharTables}) and no branch per character. It takes the values that need no padding (a fixed field given at its full length, or a
 * variable field within its maximum) of the formats that map one character to one nibble or byte:
 * n and z as BCD, n, an, ans and z as ASCII or EBCDIC. Everything else, and every rejected value,
 * goes to {@link FieldEncoder}, which writes it or reports why not. The checks are the same as
 * {@link FieldEncoder#checkText}'s: a value this path writes is one the general path would write,
 * byte for byte.
 *
 * <p>A String's characters are first copied into a scratch array ({@code String.getChars}, a
 * vectorised copy) so the loops index a plain {@code char[]}; the scratch grows once to the longest
 * value seen, so steady-state encoding allocates nothing. One per writer; not thread-safe.
 */
final class TableEncoder {
    private static final int INITIAL_SCRATCH = 64;
    private static final int SHORT = 12;
    /** Longest value {@link #packDigitsStraight} and {@link #copyLatin1Straight} take. */
    static final int STRAIGHT = 16;

    private final FieldLayout layout;
    private char[] scratch = new char[INITIAL_SCRATCH];

    TableEncoder(FieldLayout layout) {
        this.layout = layout;
    }

    /**
     * Checks and writes {@code value} as field {@code field} at {@code out}'s writer index, moving
     * it past the field. Returns false, having moved no index, when the field or value is not one
     * this path takes, the value is rejected or the buffer has no heap array; the caller then
     * takes the general path. (The writer calls {@link #write(int, CharSequence, byte[], int, int)}
     * on the array it holds; this form is for tests.)
     */
    boolean write(int field, CharSequence value, ByteBuf out) {
        int start = out.writerIndex();
        if (!out.hasArray() || layout.encodeKind[field] == FieldLayout.ENCODE_GENERAL) {
            return false;
        }
        out.ensureWritable(layout.prefixWidth[field] + 2 * value.length());
        int wrote = write(field, value, out.array(), out.arrayOffset() + start, out.capacity() - start);
        if (wrote < 0) {
            return false;
        }
        out.writerIndex(start + wrote);
        return true;
    }

    /**
     * Checks and writes {@code value} (prefix and content) as field {@code field} at {@code array}
     * index {@code at}, where {@code room} bytes are free. Returns the bytes written, or -1 when
     * the field or value is not one this path takes, the value is rejected or there is not room;
     * bytes at {@code at} may then have been overwritten, but nothing before it.
     */
    int write(int field, CharSequence value, byte[] array, int at, int room) {
        int kind = layout.encodeKind[field];
        int length = value.length();
        int max = layout.maxUnits[field];
        boolean fixed = layout.fixedWire[field] >= 0;
        if (kind == FieldLayout.ENCODE_GENERAL || (fixed ? length != max : length > max)) {
            return -1;
        }
        int width = layout.prefixWidth[field];
        int wire = kind == FieldLayout.ENCODE_TEXT || kind == FieldLayout.ENCODE_LATIN1 ? length : (length + 1) >> 1;
        if (width + wire > room || !encodeContent(kind, field, value, length, array, at + width)) {
            return -1;
        }
        if (width > 0) {
            layout.prefix[field].write(array, at, layout.prefixDigits[field], length);
        }
        return width + wire;
    }

    /**
     * Writes a binary value's prefix and bytes with one copy; -1 (nothing written) when the field
     * is not binary with raw bytes on the wire, the count does not fit it, or there is not room.
     */
    int writeBytes(int field, byte[] value, byte[] array, int at, int room) {
        int width = layout.prefixWidth[field];
        int count = value.length;
        int max = layout.maxUnits[field];
        if (!layout.binary[field] || layout.wireMode[field] != FieldLayout.WIRE_UNITS
                || (layout.fixedWire[field] >= 0 ? count != max : count > max) || width + count > room) {
            return -1;
        }
        if (width > 0) {
            layout.prefix[field].write(array, at, layout.prefixDigits[field], value.length);
        }
        System.arraycopy(value, 0, array, at + width, value.length);
        return width + value.length;
    }

    /**
     * The content, checked, at array index {@code at}. Short Strings are read in place; longer ones
     * are first copied out in bulk (getChars), which beats a charAt per character beyond a few.
     */
    private boolean encodeContent(int kind, int field, CharSequence value, int length, byte[] array, int at) {
        if (value instanceof String text && length <= SHORT) {
            if (kind == FieldLayout.ENCODE_DIGITS) {
                return packDigits(text, length, layout.padsLeft[field], layout.fillNibble[field], array, at);
            }
            if (kind == FieldLayout.ENCODE_LATIN1) {
                return copyLatin1(text, length, array, at);
            }
        }
        return encodeChars(kind, field, charsOf(value, length), length, array, at);
    }

    private boolean encodeChars(int kind, int field, char[] chars, int length, byte[] array, int at) {
        return switch (kind) {
            case FieldLayout.ENCODE_DIGITS -> packDigits(chars, length, layout.padsLeft[field], layout.fillNibble[field], array, at);
            case FieldLayout.ENCODE_BCD -> packBcd(chars, length, layout.padsLeft[field], layout.fillNibble[field],
                    layout.charTable[field], array, at);
            case FieldLayout.ENCODE_LATIN1 -> copyLatin1(chars, length, array, at);
            default -> translate(chars, length, layout.charTable[field], array, at);
        };
    }

    /**
     * {@link #packDigits(String, int, boolean, int, byte[], int)} for up to {@link #STRAIGHT} digits
     * without a loop: one case per digit pair, falling through, so a short fixed field costs no
     * loop set-up and every offset is a constant from one base.
     */
    @SuppressWarnings("fallthrough") // each case adds its pair and falls through to the ones before it
    static boolean packDigitsStraight(String text, int digits, boolean padsLeft, int fill, byte[] array, int at) {
        int seen = 0;
        int s = 0;
        int o = at;
        if ((digits & 1) == 1) {
            if (padsLeft) {
                int low = text.charAt(0) - '0';
                seen = low | (9 - low);
                array[o++] = (byte) ((fill << 4) | low);
                s = 1;
            } else {
                int high = text.charAt(digits - 1) - '0';
                seen = high | (9 - high);
                array[at + (digits >> 1)] = (byte) ((high << 4) | fill);
            }
        }
        switch (digits >> 1) {
            case 8: seen |= pair(text, s + 14, array, o + 7);
            case 7: seen |= pair(text, s + 12, array, o + 6);
            case 6: seen |= pair(text, s + 10, array, o + 5);
            case 5: seen |= pair(text, s + 8, array, o + 4);
            case 4: seen |= pair(text, s + 6, array, o + 3);
            case 3: seen |= pair(text, s + 4, array, o + 2);
            case 2: seen |= pair(text, s + 2, array, o + 1);
            case 1: seen |= pair(text, s, array, o);
            case 0: break;
            default: throw new IllegalArgumentException("at most " + STRAIGHT + " digits, found " + digits);
        }
        return seen >= 0;
    }

    /** Two digits as one BCD byte; negative when either is not a digit. */
    private static int pair(String text, int i, byte[] array, int o) {
        int high = text.charAt(i) - '0';
        int low = text.charAt(i + 1) - '0';
        array[o] = (byte) ((high << 4) | low);
        return high | low | (9 - high) | (9 - low);
    }

    /** {@link #copyLatin1(String, int, byte[], int)} for up to {@link #STRAIGHT} characters without a loop, as {@link #packDigitsStraight}. */
    @SuppressWarnings("fallthrough") // each case adds its character and falls through to the ones before it
    static boolean copyLatin1Straight(String text, int length, byte[] array, int at) {
        int seen = 0;
        switch (length) {
            case 16: seen |= latin1(text, 15, array, at);
            case 15: seen |= latin1(text, 14, array, at);
            case 14: seen |= latin1(text, 13, array, at);
            case 13: seen |= latin1(text, 12, array, at);
            case 12: seen |= latin1(text, 11, array, at);
            case 11: seen |= latin1(text, 10, array, at);
            case 10: seen |= latin1(text, 9, array, at);
            case 9: seen |= latin1(text, 8, array, at);
            case 8: seen |= latin1(text, 7, array, at);
            case 7: seen |= latin1(text, 6, array, at);
            case 6: seen |= latin1(text, 5, array, at);
            case 5: seen |= latin1(text, 4, array, at);
            case 4: seen |= latin1(text, 3, array, at);
            case 3: seen |= latin1(text, 2, array, at);
            case 2: seen |= latin1(text, 1, array, at);
            case 1: seen |= latin1(text, 0, array, at);
            case 0: break;
            default: throw new IllegalArgumentException("at most " + STRAIGHT + " characters, found " + length);
        }
        return seen <= 0xFF;
    }

    private static int latin1(String text, int i, byte[] array, int at) {
        char c = text.charAt(i);
        array[at + i] = (byte) c;
        return c;
    }

    /** {@link #copyLatin1(char[], int, byte[], int)} reading the String in place. */
    static boolean copyLatin1(String text, int length, byte[] array, int at) {
        int seen = 0;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            seen |= c;
            array[at + i] = (byte) c;
        }
        return seen <= 0xFF;
    }

    /** {@link #packDigits(char[], int, boolean, int, byte[], int)} reading the String in place. */
    static boolean packDigits(String text, int digits, boolean padsLeft, int fill, byte[] array, int at) {
        int seen = 0;
        int c = 0;
        int o = at;
        boolean odd = (digits & 1) == 1;
        if (odd && padsLeft) {
            int low = text.charAt(0) - '0';
            seen |= low | (9 - low);
            array[o++] = (byte) ((fill << 4) | low);
            c = 1;
        }
        for (; c + 1 < digits; c += 2) {
            int high = text.charAt(c) - '0';
            int low = text.charAt(c + 1) - '0';
            seen |= high | low | (9 - high) | (9 - low);
            array[o++] = (byte) ((high << 4) | low);
        }
        if (c < digits) {
            int high = text.charAt(c) - '0';
            seen |= high | (9 - high);
            array[o] = (byte) ((high << 4) | fill);
        }
        return seen >= 0;
    }

    char[] charsOf(CharSequence value, int length) {
        if (length > scratch.length) {
            scratch = new char[Math.max(length, 2 * scratch.length)];
        }
        char[] chars = scratch;
        if (value instanceof String text) {
            text.getChars(0, length, chars, 0);
        } else {
            for (int i = 0; i < length; i++) {
                chars[i] = value.charAt(i);
            }
        }
        return chars;
    }

    /** ans as ASCII (ISO-8859-1): every character up to U+00FF is its own byte. */
    static boolean copyLatin1(char[] chars, int length, byte[] array, int at) {
        int seen = 0;
        for (int i = 0; i < length; i++) {
            char c = chars[i];
            seen |= c;
            array[at + i] = (byte) c;
        }
        return seen <= 0xFF;
    }

    private static boolean translate(char[] chars, int length, int[] table, byte[] array, int at) {
        int seen = 0;
        for (int i = 0; i < length; i++) {
            int b = CharTables.entry(table, chars[i]);
            seen |= b;
            array[at + i] = (byte) b;
        }
        return seen >= 0;
    }

    /** n as BCD: like {@link #packBcd} with arithmetic in place of the table (a digit is its char minus '0'). */
    static boolean packDigits(char[] chars, int digits, boolean padsLeft, int fill, byte[] array, int at) {
        int seen = 0;
        int c = 0;
        int o = at;
        boolean odd = (digits & 1) == 1;
        if (odd && padsLeft) {
            int low = chars[0] - '0';
            seen |= low | (9 - low);
            array[o++] = (byte) ((fill << 4) | low);
            c = 1;
        }
        for (; c + 1 < digits; c += 2) {
            int high = chars[c] - '0';
            int low = chars[c + 1] - '0';
            seen |= high | low | (9 - high) | (9 - low);
            array[o++] = (byte) ((high << 4) | low);
        }
        if (c < digits) {
            int high = chars[c] - '0';
            seen |= high | (9 - high);
            array[o] = (byte) ((high << 4) | fill);
        }
        return seen >= 0;
    }

    /**
     * Two characters per byte; an odd count gets the pad nibble first or last as the spec says.
     * A rejected character makes its nibble negative, which the OR of all nibbles carries to the end.
     */
    static boolean packBcd(char[] chars, int digits, boolean padsLeft, int fill, int[] table, byte[] array, int at) {
        int seen = 0;
        int c = 0;
        int o = at;
        boolean odd = (digits & 1) == 1;
        if (odd && padsLeft) {
            int low = CharTables.entry(table, chars[0]);
            seen |= low;
            array[o++] = (byte) ((fill << 4) | low);
            c = 1;
        }
        for (; c + 1 < digits; c += 2) {
            int high = CharTables.entry(table, chars[c]);
            int low = CharTables.entry(table, chars[c + 1]);
            seen |= high | low;
            array[o++] = (byte) ((high << 4) | low);
        }
        if (c < digits) {
            int high = CharTables.entry(table, chars[c]);
            seen |= high;
            array[o] = (byte) ((high << 4) | fill);
        }
        return seen >= 0;
    }
}
