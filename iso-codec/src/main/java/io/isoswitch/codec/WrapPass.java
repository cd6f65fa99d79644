package io.isoswitch.codec;

import io.isoswitch.codec.ShapeCache.Shape;
import io.isoswitch.codec.spec.BitmapEncoding;
import io.isoswitch.codec.spec.ContentEncoding;
import io.isoswitch.codec.spec.FieldSpec;
import io.isoswitch.codec.spec.MessageSpec;
import io.netty.buffer.ByteBuf;

/**
 * The one forward pass of {@link IsoMessageView#wrap(ByteBuf)} over the MTI, the bitmaps and every
 * field, checking structure (MTI digits, bitmaps, every length prefix and bound) and recording in
 * the view where each field lies. Three ways through the fields, each making the same checks in
 * the same order, so the same errors:
 * <ul>
 *   <li>planned: a heap frame whose bitmaps match a cached {@link Shape} adds each run of fixed
 *       fields whole and reads only the variable fields' prefixes ({@link #parsePlanned});
 *   <li>by bitmap byte: a heap frame of another shape ({@link #parseFieldsOfArray});
 *   <li>field by field through the buffer's accessors: direct buffers, non-BCD prefixes and every
 *       error ({@link #parseFieldOfBuffer}).
 * </ul>
 * Static methods over the view's package-private fields, so the JIT binds and inlines them as it
 * did when they were the view's private methods (no interface, no extra object on the hot path).
 */
final class WrapPass {
    private static final int WHAT_MTI = 0;
    private static final int WHAT_BITMAP = 1;
    private static final int WHAT_PREFIX = 2;
    private static final int WHAT_CONTENT = 3;

    private WrapPass() {
    }

    /** Decodes the view's frame (base to limit, array set for a heap frame) into the view; throws on a mismatch. */
    static void parse(IsoMessageView v) {
        int pos = v.base;
        int mtiLength = v.spec.mtiLength();
        need(v, pos, mtiLength, null, WHAT_MTI);
        if (v.array != null && v.spec.mtiEncoding() == ContentEncoding.BCD) {
            int nibbles = (v.array[v.arrayOffset + pos] & 0xFF) << 8 | (v.array[v.arrayOffset + pos + 1] & 0xFF);
            if (((((nibbles & 0x0F0F) + 0x0606) | (((nibbles >>> 4) & 0x0F0F) + 0x0606)) & 0x1010) != 0) {
                throw badMti(v, pos);
            }
            v.mtiDigits = nibbles;
        } else {
            int value = 0;
            for (int i = 0; i < 4; i++) {
                char c = v.mtiChar(pos, i);
                if (c < '0' || c > '9') {
                    throw badMti(v, pos);
                }
                value = value << 4 | (c - '0');
            }
            v.mtiDigits = value;
        }
        v.mtiRead = true;
        pos += mtiLength;
        int bitmapCount = readBitmaps(v, pos);
        pos += bitmapCount * v.spec.bitmapEncoding().bytesPerBitmap();
        int maxBitmaps = v.spec.maxBitmaps();
        if (v.array != null) {
            Shape known = shapeOf(v, maxBitmaps);
            if (known != null) {
                pos = parsePlanned(v, known, pos);
                endCheck(v, pos);
                return;
            }
        }
        for (int b = 0; b < bitmapCount; b++) {
            long fields = v.bitmaps[b];
            if (b == 0 || (b == 1 && maxBitmaps == 3)) {
                fields &= Long.MAX_VALUE; // bit 1 (and 65 with a tertiary bitmap) announce bitmaps, not fields
            }
            v.fieldBits[b] = fields; // narrowed to the fields before a failure, if one comes
            if (v.array != null) {
                pos = parseFieldsOfArray(v, fields, b, pos);
            } else {
                // reversed, the lowest field is the lowest bit: take it and clear it with x & (x - 1)
                long bits = Long.reverse(fields);
                int first = 64 * b + 1;
                while (bits != 0) {
                    pos = parseFieldOfBuffer(v, first + Long.numberOfTrailingZeros(bits), pos);
                    bits &= bits - 1;
                }
            }
        }
        endCheck(v, pos);
    }

    /** Reads the primary bitmap and any it announces; returns how many there are. */
    private static int readBitmaps(IsoMessageView v, int start) {
        int bitmapBytes = v.spec.bitmapEncoding().bytesPerBitmap();
        int pos = start;
        int bitmapCount = 1;
        for (int b = 0; b < bitmapCount; b++) {
            need(v, pos, bitmapBytes, null, WHAT_BITMAP);
            v.bitmaps[b] = readBitmap(v, pos);
            pos += bitmapBytes;
            boolean more = b == 0 ? (v.bitmaps[0] < 0) : (b == 1 && v.spec.maxBitmaps() == 3 && v.bitmaps[1] < 0);
            if (more) {
                if (b + 1 >= v.spec.maxBitmaps()) {
                    throw v.fail("bitmap", pos - bitmapBytes, "expected at most " + v.spec.maxBitmaps()
                            + " bitmap(s) in " + v.spec.name() + ", found bit " + (64 * b + 1) + " set");
                }
                bitmapCount++;
            }
        }
        return bitmapCount;
    }

    private static long readBitmap(IsoMessageView v, int pos) {
        if (v.spec.bitmapEncoding() == BitmapEncoding.BINARY) {
            return v.array != null ? (long) BcdReads.BIG_ENDIAN_LONGS.get(v.array, v.arrayOffset + pos) : v.buf.getLong(pos);
        }
        long bits = 0;
        for (int i = 0; i < 16; i++) {
            int digit = Character.digit(v.buf.getByte(pos + i) & 0xFF, 16);
            if (digit < 0) {
                throw new IsoCodecException("bitmap", pos + i - v.base, "expected a hex digit, found another byte");
            }
            bits = (bits << 4) | digit;
        }
        return bits;
    }

    /**
     * The shape of the bitmaps just read, from the cache or laid out now; null for the field-by-field
     * pass (a bitmap's first miss, or a field the spec does not define, which that pass reports).
     * Also sets fieldBits.
     */
    private static Shape shapeOf(IsoMessageView v, int maxBitmaps) {
        long b0 = v.bitmaps[0];
        long b1 = v.bitmaps[1];
        long b2 = v.bitmaps[2];
        v.fieldBits[0] = b0 & Long.MAX_VALUE;
        v.fieldBits[1] = maxBitmaps == 3 ? b1 & Long.MAX_VALUE : b1;
        v.fieldBits[2] = b2;
        Shape last = v.shape;
        if (last != null && last.key[0] == b0 && last.key[1] == b1 && last.key[2] == b2) {
            return last;
        }
        Shape other = v.shapes.miss(b0, b1, b2, v.fieldBits, v.plan);
        v.shape = other;
        return other;
    }

    /**
     * The fields of a frame whose bitmaps match {@code known}, in a heap frame: the fixed runs are
     * added whole, the variable fields read and checked as {@link #parseMixedGroupOfArray} does
     * (the same checks in the same order, so the same errors), and each segment's start recorded.
     */
    private static int parsePlanned(IsoMessageView v, Shape known, int start) {
        v.planned = true;
        int[] variable = known.variable;
        int[] fixedBefore = known.fixedBefore;
        int[] bases = v.segmentBase;
        int pos = start;
        bases[0] = pos;
        for (int i = 0, n = known.variables; i < n; i++) {
            int field = variable[i];
            pos += fixedBefore[i];
            if (pos > v.limit) {
                throw overrun(v, field);
            }
            int p = field << 2;
            int prefix = v.plan[p + 2];
            int width = prefix & 0xFF;
            if (width > v.limit - pos || (prefix & FieldLayout.PREFIX_BCD) == 0 || width > 2) {
                pos = parseFieldOfBuffer(v, field, pos);
                bases[i + 1] = pos;
                continue;
            }
            int at = v.arrayOffset + pos;
            int units = bcdPrefixUnits(v, field, p, pos, at, width);
            int content = pos + width;
            int wire = wireBytes(v.plan[p + 3], units);
            if (wire > v.limit - content) {
                v.failedField = field;
                throw shortFrame(v, content, wire, v.specs[field], WHAT_CONTENT);
            }
            v.stated[field] = units;
            pos = content + wire;
            bases[i + 1] = pos;
        }
        return pos + known.tail;
    }

    /**
     * The fields of bitmap {@code b} ({@code fields}, field {@code 64b+1} in the top bit) in a heap
     * frame: the hot loop of {@link IsoMessageView#wrap(ByteBuf)}. It goes by bitmap byte: a byte whose fields are
     * all fixed costs one table lookup and an add ({@link FieldLayout#groupWire}), whatever their
     * number, and only the byte's start is recorded (a field's start is computed when asked). A
     * byte naming a variable field goes field by field ({@link #parseMixedGroupOfArray}). Bounds are
     * not checked one field at a time but wherever the pass next reads the frame (a length prefix)
     * and at the end, where an overrun is traced back to the first field that crossed the frame's
     * end ({@link #overrun}). Content is never read here.
     */
    private static int parseFieldsOfArray(IsoMessageView v, long fields, int b, int start) {
        int pos = start;
        for (long rest = fields; rest != 0; ) {
            int shift = Long.numberOfLeadingZeros(rest) & ~7; // the first byte with a field, from the top
            int g = 8 * b + (shift >>> 3);
            int bits = (int) (rest >>> (56 - shift)) & 0xFF;
            rest &= ~(0xFF00000000000000L >>> shift);
            if ((bits & v.groupSlow[g]) == 0) {
                v.groupStart[g] = pos;
                v.fastGroups |= 1L << g;
                pos += v.groupWire[g << 8 | bits];
                continue;
            }
            pos = parseMixedGroupOfArray(v, bits, g, pos);
        }
        return pos;
    }

    /**
     * A bitmap byte that names a variable field, field by field: a fixed one costs a store and an
     * add, a variable one reads its prefix (a BCD one by table, {@link FieldLayout#BCD_BYTE}).
     * Kept in one method, out of {@link #parseFieldsOfArray}'s loop: split in two, the JIT inlined
     * both into that loop and bytes of fixed fields went a third slower ({@code DecodeCostByShape}).
     */
    private static int parseMixedGroupOfArray(IsoMessageView v, int bits, int g, int start) {
        int pos = start;
        for (int left = bits; left != 0; ) {
            int k = Integer.numberOfLeadingZeros(left) - 24;
            left &= ~(0x80 >>> k);
            int field = 8 * g + 1 + k;
            int p = field << 2;
            int wire = v.plan[p];
            v.found[field] = pos;
            if (wire >= 0) {
                pos += wire;
                continue;
            }
            if (pos > v.limit) {
                throw overrun(v, field);
            }
            int prefix = v.plan[p + 2];
            int width = prefix & 0xFF;
            if (wire == FieldLayout.UNDEFINED || width > v.limit - pos || (prefix & FieldLayout.PREFIX_BCD) == 0 || width > 2) {
                pos = parseFieldOfBuffer(v, field, pos);
                continue;
            }
            int at = v.arrayOffset + pos;
            int units = bcdPrefixUnits(v, field, p, pos, at, width);
            int content = pos + width;
            wire = wireBytes(v.plan[p + 3], units);
            if (wire > v.limit - content) {
                v.failedField = field;
                throw shortFrame(v, content, wire, v.specs[field], WHAT_CONTENT);
            }
            v.stated[field] = units;
            pos = content + wire;
        }
        return pos;
    }

    /** One field read through the buffer's accessors: frames without a heap array, non-BCD prefixes, and every error. */
    private static int parseFieldOfBuffer(IsoMessageView v, int field, int pos) {
        FieldSpec fieldSpec = v.specs[field];
        v.failedField = field; // until the field is through
        if (fieldSpec == null) {
            throw v.fail(Integer.toString(field), pos, "bit " + field + " is set but " + v.spec.name() + " does not define the field");
        }
        int p = field << 2;
        int wire = v.plan[p];
        int units = v.plan[p + 1];
        int content = pos;
        if (wire < 0) {
            int width = v.plan[p + 2] & 0xFF;
            need(v, pos, width, fieldSpec, WHAT_PREFIX);
            units = fieldSpec.prefix().read(v.buf, pos, v.prefixDigits[field]);
            if (units < 0 || units > v.plan[p + 1]) {
                throw badPrefix(v, fieldSpec, pos, units);
            }
            content = pos + width;
            wire = wireBytes(v.plan[p + 3], units);
        }
        need(v, content, wire, fieldSpec, WHAT_CONTENT);
        v.found[field] = pos;
        v.stated[field] = units;
        return content + wire;
    }

    static int wireBytes(int wireMode, int units) {
        return switch (wireMode) {
            case FieldLayout.WIRE_BCD -> (units + 1) >> 1;
            case FieldLayout.WIRE_HEX -> units << 1;
            case FieldLayout.WIRE_BCD_AMOUNT -> 1 + (units >> 1);
            default -> units;
        };
    }

    /** Checks {@code bytes} more bytes are in the frame; builds the message only on failure (no garbage). */
    private static void need(IsoMessageView v, int pos, int bytes, FieldSpec fieldSpec, int what) {
        if (bytes > v.limit - pos) {
            throw shortFrame(v, pos, bytes, fieldSpec, what);
        }
    }

    private static void endCheck(IsoMessageView v, int pos) {
        if (pos != v.limit) {
            if (pos > v.limit) {
                throw overrun(v, MessageSpec.MAX_FIELD + 1);
            }
            v.failedField = MessageSpec.MAX_FIELD + 1;
            throw v.fail("frame", pos, "expected the frame to end after the last field, found " + (v.limit - pos) + " more byte(s)");
        }
        v.count = Long.bitCount(v.fieldBits[0]) + Long.bitCount(v.fieldBits[1]) + Long.bitCount(v.fieldBits[2]);
    }

    /**
     * The error for the first recorded field (below {@code before}) that ends beyond the frame: the
     * array pass adds fixed fields up unchecked and calls this when the sum has crossed the end.
     */
    private static IsoCodecException overrun(IsoMessageView v, int before) {
        for (int b = 0; b < v.fieldBits.length; b++) {
            for (long rest = Long.reverse(v.fieldBits[b]); rest != 0; rest &= rest - 1) {
                int field = 64 * b + 1 + Long.numberOfTrailingZeros(rest);
                if (field >= before) {
                    break;
                }
                if (v.endOf(field) > v.limit) {
                    v.failedField = field;
                    return shortFrame(v, v.contentAt(field), v.endOf(field) - v.contentAt(field), v.specs[field], WHAT_CONTENT);
                }
            }
        }
        throw new IllegalStateException("no field crosses the frame's end"); // unreachable: the caller saw one
    }

    private static IsoCodecException badMti(IsoMessageView v, int pos) {
        for (int i = 0; i < 4; i++) {
            char c = v.mtiChar(pos, i);
            if (c < '0' || c > '9') {
                return v.fail("mti", pos, "expected 4 digits, found a non-digit at position " + i);
            }
        }
        return v.fail("mti", pos, "expected 4 digits, found a non-digit");
    }

    private static IsoCodecException badPrefix(IsoMessageView v, FieldSpec fieldSpec, int pos, int fieldUnits) {
        return fieldUnits < 0
                ? v.fail(fieldSpec.path(), pos, "expected a " + fieldSpec.prefix() + " length prefix, found bytes that are not one")
                : v.fail(fieldSpec.path(), pos, "expected a length of at most " + fieldSpec.maxLength() + ", found " + fieldUnits);
    }

    /** A BCD length prefix read straight from the heap array; -1 when a nibble is not a digit. */
    private static int bcdPrefix(IsoMessageView v, int at, int width) {
        int value = 0;
        for (int i = 0; i < width; i++) {
            int b = v.array[at + i] & 0xFF;
            int high = b >>> 4;
            int low = b & 0x0F;
            if (high > 9 || low > 9) {
                return -1;
            }
            value = value * 100 + high * 10 + low;
        }
        return value;
    }

    private static IsoCodecException shortFrame(IsoMessageView v, int pos, int bytes, FieldSpec fieldSpec, int what) {
        String path = fieldSpec == null ? (what == WHAT_MTI ? "mti" : "bitmap") : fieldSpec.path();
        String expected = switch (what) {
            case WHAT_MTI -> "a " + bytes + "-byte MTI";
            case WHAT_BITMAP -> "a bitmap of " + bytes + " bytes";
            case WHAT_PREFIX -> "a " + bytes + "-byte " + fieldSpec.lengthKind() + " length prefix";
            default -> bytes + " content byte(s) (" + fieldSpec.format() + ")";
        };
        return v.fail(path, pos, "expected " + expected + ", found only " + Math.max(0, v.limit - pos) + " byte(s) left in the frame");
    }

    /**
     * A BCD length prefix of one or two bytes at array index {@code at}, checked against the
     * field's maximum (a nibble above 9 makes it larger than any maximum).
     */
    private static int bcdPrefixUnits(IsoMessageView v, int field, int p, int pos, int at, int width) {
        int units = width == 1
                ? FieldLayout.BCD_BYTE[v.array[at] & 0xFF]
                : FieldLayout.BCD_BYTE[v.array[at] & 0xFF] * 100 + FieldLayout.BCD_BYTE[v.array[at + 1] & 0xFF];
        if (units > v.plan[p + 1]) {
            v.failedField = field;
            throw badPrefix(v, v.specs[field], pos, bcdPrefix(v, at, width));
        }
        return units;
    }
}
