package io.isoswitch.codec;

import io.isoswitch.codec.spec.ContentEncoding;
import io.isoswitch.codec.spec.Cp1047;
import io.isoswitch.codec.spec.FieldSpec;
import io.isoswitch.codec.spec.FieldType;
import io.netty.buffer.ByteBuf;

/**
 * Reads one field's content as the spec says, a character at a time and without allocating
 * (the write side is {@link FieldEncoder}). The character form is the one jPOS's {@code ISOMsg.getString} gives: BCD digits with
 * the pad nibble dropped and nibble D shown as {@code '='}, a signed amount with its C/D sign,
 * fixed text with its padding, and bytes as uppercase hex.
 */
final class FieldDecoder {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private FieldDecoder() {
    }

    /** Number of characters in the character form of a field holding {@code units} units. */
    static int charLength(FieldSpec spec, int units) {
        return spec.binary() ? units * 2 : units;
    }

    /** Character {@code i} of the character form of the content at {@code index}. */
    static char charAt(FieldSpec spec, ByteBuf buf, int index, int units, int i) {
        return switch (spec.encoding()) {
            case ASCII -> (char) (buf.getByte(index + i) & 0xFF);
            case EBCDIC -> Cp1047.toChar(buf.getByte(index + i));
            case BINARY -> HEX[(buf.getByte(index + (i >> 1)) >>> ((i & 1) == 0 ? 4 : 0)) & 0x0F];
            case HEX -> Character.toUpperCase((char) (buf.getByte(index + i) & 0xFF));
            case BCD -> bcdChar(spec, buf, index, units, i);
        };
    }

    private static char bcdChar(FieldSpec spec, ByteBuf buf, int index, int units, int i) {
        int digits = units;
        int at = index;
        int position = i;
        if (spec.type() == FieldType.XN) {
            if (i == 0) {
                return (char) (buf.getByte(index) & 0xFF);
            }
            digits = units - 1;
            at = index + 1;
            position = i - 1;
        }
        int nibbleIndex = position + ((digits & 1) == 1 && spec.nibblePadding().padsLeft() ? 1 : 0);
        int nibble = (buf.getByte(at + (nibbleIndex >> 1)) >>> ((nibbleIndex & 1) == 0 ? 4 : 0)) & 0x0F;
        return nibble == 0x0D ? '=' : HEX[nibble];
    }

    /**
     * Checks content read off the wire against the field type where a wrong byte would make the
     * value meaningless (digits of n and x+n fields, the sign of an amount, hex characters).
     * Returns the index of the first bad character, or -1 when the content is sound.
     */
    static int firstBadChar(FieldSpec spec, ByteBuf buf, int index, int units) {
        FieldType type = spec.type();
        if (spec.encoding() == ContentEncoding.HEX) {
            for (int i = 0; i < units * 2; i++) {
                int c = buf.getByte(index + i) & 0xFF;
                if (Character.digit(c, 16) < 0) {
                    return i;
                }
            }
            return -1;
        }
        if (type != FieldType.N && type != FieldType.XN) {
            return -1;
        }
        for (int i = 0; i < units; i++) {
            if (!type.accepts(charAt(spec, buf, index, units, i), i)) {
                return i;
            }
        }
        return -1;
    }

    /** Parses the content as a non-negative decimal number (sign of an amount excluded). */
    static long parseLong(FieldSpec spec, ByteBuf buf, int index, int units) {
        int from = spec.type() == FieldType.XN ? 1 : 0;
        if (units - from > 18) {
            throw new IsoCodecException(spec.path(), index, "expected at most 18 digits for a number, found " + (units - from));
        }
        long value = 0;
        for (int i = from; i < units; i++) {
            char c = charAt(spec, buf, index, units, i);
            if (c < '0' || c > '9') {
                throw new IsoCodecException(spec.path(), index, "expected digits, found a non-digit at position " + i);
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
