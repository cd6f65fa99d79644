package io.isoswitch.codec;

import io.isoswitch.codec.spec.ContentEncoding;
import io.isoswitch.codec.spec.Cp1047;
import io.isoswitch.codec.spec.FieldSpec;
import io.isoswitch.codec.spec.FieldType;
import io.isoswitch.codec.spec.Padding;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Checks a value against its field and writes it (prefix and content) as the spec says: the write
 * side of {@link FieldDecoder}. The common cases take {@link TableEncoder} first; this is the
 * general path (padding, signed amounts, hex, direct buffers) and the one that reports errors.
 */
final class FieldEncoder {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private FieldEncoder() {
    }

    /**
     * Checks a text value against the field before it is written and returns the number of units
     * the field will hold (the fixed length, or the value's length).
     */
    static int checkText(FieldSpec spec, CharSequence value) {
        int length = value.length();
        if (spec.binary()) {
            if ((length & 1) == 1) {
                throw new IsoCodecException(spec.path(), -1, "binary field given as hex needs an even number of hex digits, found " + length);
            }
            for (int i = 0; i < length; i++) {
                if (Character.digit(value.charAt(i), 16) < 0) {
                    throw new IsoCodecException(spec.path(), -1, "binary field given as hex: expected hex digits, found a non-hex character at position " + i);
                }
            }
            return checkByteCount(spec, length / 2);
        }
        FieldType type = spec.type();
        int bad = firstRejected(type, spec.encoding() == ContentEncoding.EBCDIC, value);
        if (bad >= 0) {
            throw new IsoCodecException(spec.path(), -1, "expected " + type.describeCharset() + " (type " + type.code()
                    + "), found a character outside that set at position " + bad);
        }
        if (type == FieldType.XN && length == 0) {
            throw new IsoCodecException(spec.path(), -1, "a signed amount needs its 'C' or 'D' sign, found an empty value");
        }
        if (length > spec.maxLength()) {
            throw new IsoCodecException(spec.path(), -1, "expected at most " + spec.maxLength() + " characters, found " + length);
        }
        if (spec.fixed()) {
            if (length < spec.maxLength() && spec.padding() == Padding.NONE) {
                throw new IsoCodecException(spec.path(), -1, "expected exactly " + spec.maxLength() + " characters, found " + length);
            }
            return spec.maxLength();
        }
        return length;
    }

    /** Index of the first character the type rejects, or -1; one tight loop per type. */
    private static int firstRejected(FieldType type, boolean ebcdic, CharSequence value) {
        int length = value.length();
        switch (type) {
            case N -> {
                for (int i = 0; i < length; i++) {
                    char c = value.charAt(i);
                    if (c < '0' || c > '9') {
                        return i;
                    }
                }
            }
            case ANS -> {
                for (int i = 0; i < length; i++) {
                    char c = value.charAt(i);
                    if (c > 0xFF || (ebcdic && !Cp1047.encodable(c))) {
                        return i;
                    }
                }
            }
            default -> {
                for (int i = 0; i < length; i++) {
                    char c = value.charAt(i);
                    if (!type.accepts(c, i) || (ebcdic && !Cp1047.encodable(c))) {
                        return i;
                    }
                }
            }
        }
        return -1;
    }

    /** Checks a byte count against a binary field and returns it. */
    static int checkByteCount(FieldSpec spec, int count) {
        if (spec.fixed() ? count != spec.maxLength() : count > spec.maxLength()) {
            throw new IsoCodecException(spec.path(), -1, "expected " + (spec.fixed() ? "exactly " : "at most ")
                    + spec.maxLength() + " bytes, found " + count);
        }
        return count;
    }

    /** Writes the prefix (if any) and the content of a checked text value, padding a short fixed value. */
    static void writeText(FieldSpec spec, CharSequence value, int units, ByteBuf out) {
        if (!spec.fixed()) {
            spec.prefix().write(out, spec.lengthKind().digits(), units);
        }
        if (spec.binary()) {
            for (int i = 0; i < units; i++) {
                int b = (Character.digit(value.charAt(2 * i), 16) << 4) | Character.digit(value.charAt(2 * i + 1), 16);
                writeByte(spec, out, b);
            }
            return;
        }
        switch (spec.encoding()) {
            case ASCII -> {
                if (value.length() == units) {
                    out.writeCharSequence(value, StandardCharsets.ISO_8859_1);
                } else {
                    for (int i = 0; i < units; i++) {
                        out.writeByte(padded(spec, value, units, i));
                    }
                }
            }
            case EBCDIC -> {
                for (int i = 0; i < units; i++) {
                    out.writeByte(Cp1047.toByte(padded(spec, value, units, i)));
                }
            }
            case BCD -> writeBcd(spec, value, units, out);
            case BINARY, HEX -> throw new IsoCodecException(spec.path(), -1, "text value for a binary encoding");
        }
    }

    private static final long[] POWERS_OF_TEN = new long[19];

    static {
        POWERS_OF_TEN[0] = 1;
        for (int i = 1; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
        }
    }

    /** Digit {@code i} (0 = most significant) of {@code value} written in {@code width} digits. */
    private static int digitAt(long value, int width, int i) {
        int exponent = width - 1 - i;
        return exponent >= POWERS_OF_TEN.length ? 0 : (int) (value / POWERS_OF_TEN[exponent] % 10);
    }

    /**
     * Writes the prefix (if any) and a non-negative number as {@code units} digits of an n field,
     * zero-padded on the left, without building any text (the checks were made by the caller).
     */
    static void writeNumber(FieldSpec spec, long value, int units, ByteBuf out) {
        if (!spec.fixed()) {
            spec.prefix().write(out, spec.lengthKind().digits(), units);
        }
        switch (spec.encoding()) {
            case BCD -> writeBcdNumber(spec, value, units, out);
            case EBCDIC -> {
                for (int i = 0; i < units; i++) {
                    out.writeByte(0xF0 + digitAt(value, units, i));
                }
            }
            default -> {
                for (int i = 0; i < units; i++) {
                    out.writeByte('0' + digitAt(value, units, i));
                }
            }
        }
    }

    /**
     * The BCD digits of {@code value}, zero-padded on the left to {@code units}, filled last byte
     * first: each digit is the remainder of one division by the constant 10 (a multiply for the
     * JIT) instead of a division by a power of ten looked up per digit, and the buffer is checked
     * for room once. Nibble positions before the first digit or after the last (an odd count's pad)
     * take the pad nibble.
     */
    private static void writeBcdNumber(FieldSpec spec, long value, int units, ByteBuf out) {
        boolean padFirst = (units & 1) == 1 && spec.nibblePadding().padsLeft();
        int fill = spec.nibblePadding().fill();
        int bytes = (units + 1) >> 1;
        int first = padFirst ? 1 : 0;
        int last = first + units - 1;
        int start = out.writerIndex();
        out.ensureWritable(bytes);
        long rest = value;
        for (int b = bytes - 1; b >= 0; b--) {
            int low = fill;
            int high = fill;
            if (2 * b + 1 >= first && 2 * b + 1 <= last) {
                low = (int) (rest % 10);
                rest /= 10;
            }
            if (2 * b >= first && 2 * b <= last) {
                high = (int) (rest % 10);
                rest /= 10;
            }
            out.setByte(start + b, (high << 4) | low);
        }
        out.writerIndex(start + bytes);
    }

    /** Writes the prefix (if any) and the bytes of a binary value. */
    static void writeBytes(FieldSpec spec, ByteBuf src, int srcIndex, int count, ByteBuf out) {
        if (!spec.fixed()) {
            spec.prefix().write(out, spec.lengthKind().digits(), count);
        }
        if (spec.encoding() == ContentEncoding.BINARY) {
            out.writeBytes(src, srcIndex, count);
            return;
        }
        for (int i = 0; i < count; i++) {
            writeByte(spec, out, src.getByte(srcIndex + i) & 0xFF);
        }
    }

    /** Writes the prefix (if any) and the bytes of a binary value held in an array. */
    static void writeBytes(FieldSpec spec, byte[] src, ByteBuf out) {
        if (!spec.fixed()) {
            spec.prefix().write(out, spec.lengthKind().digits(), src.length);
        }
        if (spec.encoding() == ContentEncoding.BINARY) {
            out.writeBytes(src);
            return;
        }
        for (byte b : src) {
            writeByte(spec, out, b & 0xFF);
        }
    }

    private static void writeByte(FieldSpec spec, ByteBuf out, int b) {
        if (spec.encoding() == ContentEncoding.HEX) {
            out.writeByte(HEX[b >>> 4]);
            out.writeByte(HEX[b & 0x0F]);
        } else {
            out.writeByte(b);
        }
    }

    private static void writeBcd(FieldSpec spec, CharSequence value, int units, ByteBuf out) {
        if (spec.type() == FieldType.N && value.length() == units) {
            writeBcdDigits(spec, value, units, out);
            return;
        }
        int from = 0;
        if (spec.type() == FieldType.XN) {
            out.writeByte(value.charAt(0));
            from = 1;
        }
        int digits = units - from;
        boolean padFirst = (digits & 1) == 1 && spec.nibblePadding().padsLeft();
        boolean padLast = (digits & 1) == 1 && !padFirst;
        int fill = spec.nibblePadding().fill();
        int nibbles = digits + (digits & 1);
        int high = 0;
        for (int n = 0; n < nibbles; n++) {
            int nibble;
            if ((padFirst && n == 0) || (padLast && n == nibbles - 1)) {
                nibble = fill;
            } else {
                nibble = nibbleOf(padded(spec, value, units, from + n - (padFirst ? 1 : 0)));
            }
            if ((n & 1) == 0) {
                high = nibble;
            } else {
                out.writeByte((high << 4) | nibble);
            }
        }
    }

    /** The common case, checked digits that fill the field: packed a byte at a time, into the array when there is one. */
    private static void writeBcdDigits(FieldSpec spec, CharSequence value, int digits, ByteBuf out) {
        int bytes = (digits + 1) >> 1;
        out.ensureWritable(bytes);
        int start = out.writerIndex();
        boolean odd = (digits & 1) == 1;
        boolean padFirst = odd && spec.nibblePadding().padsLeft();
        int fill = spec.nibblePadding().fill();
        byte[] array = out.hasArray() ? out.array() : null;
        int at = array != null ? out.arrayOffset() + start : start;
        int c = 0;
        for (int i = 0; i < bytes; i++) {
            int high;
            int low;
            if (padFirst && i == 0) {
                high = fill;
                low = value.charAt(c++) - '0';
            } else if (odd && !padFirst && i == bytes - 1) {
                high = value.charAt(c++) - '0';
                low = fill;
            } else {
                high = value.charAt(c++) - '0';
                low = value.charAt(c++) - '0';
            }
            if (array != null) {
                array[at + i] = (byte) ((high << 4) | low);
            } else {
                out.setByte(at + i, (high << 4) | low);
            }
        }
        out.writerIndex(start + bytes);
    }

    private static int nibbleOf(char c) {
        return c == '=' ? 0x0D : Character.digit(c, 16);
    }

    /** Character {@code i} of the value after fixed-length padding ({@code units} long). */
    private static char padded(FieldSpec spec, CharSequence value, int units, int i) {
        int length = value.length();
        if (length == units) {
            return value.charAt(i);
        }
        int missing = units - length;
        if (spec.type() == FieldType.XN) {
            // the sign stays first; the digits are filled as the padding says
            if (i == 0) {
                return value.charAt(0);
            }
            return spec.padding().left()
                    ? (i <= missing ? spec.padding().fill() : value.charAt(i - missing))
                    : (i < length ? value.charAt(i) : spec.padding().fill());
        }
        if (spec.padding().left()) {
            return i < missing ? spec.padding().fill() : value.charAt(i - missing);
        }
        return i < length ? value.charAt(i) : spec.padding().fill();
    }
}
