package io.isoswitch.codec;

import io.isoswitch.codec.spec.BitmapEncoding;
import io.isoswitch.codec.spec.FieldSpec;
import io.isoswitch.codec.spec.MessageSpec;
import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * Encodes a message straight into a caller's (typically pooled) {@link ByteBuf}: the MTI, room for
 * the bitmap, then each field as it is set, in ascending field order; {@link #finish()} writes the
 * bitmap(s). A secondary or tertiary bitmap is made room for the first time a field needs it.
 * Setting a field checks the value against the spec (length, digits, charset) and throws
 * {@link IsoCodecException} naming the field and the reason (never the value).
 *
 * <pre>
 * writer.begin(out, "0210").copy(request, 2).copy(request, 3).field(4, 1234L)
 *       .copy(request, 11).field(39, "00").finish();
 * </pre>
 *
 * <p>{@link #copy(IsoMessageView, int)} echoes a request field's raw wire bytes without decoding
 * them. The writer never retains or releases {@code out}; the caller owns it. A writer is
 * reusable and not thread-safe.
 *
 * <p>With a heap buffer, the common fields are written straight into its array and the writer
 * keeps the writer index itself: {@code out}'s writer index is brought up to date by
 * {@link #finish()} (and before the writer writes through the buffer's own methods), so read
 * {@code out} after {@code finish()}, not between fields.
 */
public final class IsoMessageWriter {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    /** 10^i for i = 0..18: a fixed n field of {@code units} digits takes numbers below {@code POWERS_OF_TEN[units]}. */
    private static final long[] POWERS_OF_TEN = new long[19];
    /** 0..99 as a packed BCD byte. */
    private static final byte[] BCD_PAIRS = new byte[100];

    static {
        POWERS_OF_TEN[0] = 1;
        for (int i = 1; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
        }
        for (int i = 0; i < 100; i++) {
            BCD_PAIRS[i] = (byte) ((i / 10) << 4 | i % 10);
        }
    }

    private final MessageSpec spec;
    private final TableEncoder tables;
    private final FieldLayout layout;
    private final int[] fastText;
    private final long[] bitmaps = new long[3];
    private ByteBuf out;
    // The fast paths write straight into the heap array of out and keep the writer index here
    // (array index at), handing it to out when the message is finished or before any write through
    // out's own methods (sync), and taking it back after (load). While a message is being written
    // out's writer index may therefore lag behind the bytes written. fastFields is the highest field
    // the fast paths may set (0 without a heap array or a message): beyond it a bitmap must be made
    // room for, which the general path does.
    private byte[] array;
    private int at;
    private int arrayEnd;
    private int arrayBase;
    private int fastFields;
    private int bitmapIndex;
    private int reservedBitmaps;
    private int lastField;
    private int startIndex;

    /** A reusable writer for messages of {@code spec}. */
    public IsoMessageWriter(MessageSpec spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.layout = FieldLayout.of(spec);
        this.tables = new TableEncoder(layout);
        this.fastText = layout.fastText;
    }

    /** The dialect this writer encodes. */
    public MessageSpec spec() {
        return spec;
    }

    /** Starts a message at {@code target}'s writer index with the MTI given as a number (200 for "0200"); allocates nothing. */
    public IsoMessageWriter begin(ByteBuf target, int mti) {
        if (mti < 0 || mti > 9999) {
            throw new IsoCodecException("mti", -1, "expected 4 digits, found a number outside 0..9999");
        }
        start(target);
        writeMti(mti / 1000, mti / 100 % 10, mti / 10 % 10, mti % 10);
        return reserveBitmap();
    }

    /** Starts a message at {@code target}'s writer index with the MTI as four digits. */
    public IsoMessageWriter begin(ByteBuf target, CharSequence mti) {
        Objects.requireNonNull(mti, "mti");
        if (mti.length() != 4) {
            throw new IsoCodecException("mti", -1, "expected 4 digits, found " + mti.length() + " characters");
        }
        for (int i = 0; i < 4; i++) {
            if (mti.charAt(i) < '0' || mti.charAt(i) > '9') {
                throw new IsoCodecException("mti", -1, "expected 4 digits, found a non-digit at position " + i);
            }
        }
        start(target);
        writeMti(mti.charAt(0) - '0', mti.charAt(1) - '0', mti.charAt(2) - '0', mti.charAt(3) - '0');
        return reserveBitmap();
    }

    private void start(ByteBuf target) {
        this.out = Objects.requireNonNull(target, "target");
        this.startIndex = target.writerIndex();
    }

    private void writeMti(int d0, int d1, int d2, int d3) {
        switch (spec.mtiEncoding()) {
            case BCD -> {
                out.writeByte((d0 << 4) | d1);
                out.writeByte((d2 << 4) | d3);
            }
            case EBCDIC -> out.writeByte(0xF0 + d0).writeByte(0xF0 + d1).writeByte(0xF0 + d2).writeByte(0xF0 + d3);
            default -> out.writeByte('0' + d0).writeByte('0' + d1).writeByte('0' + d2).writeByte('0' + d3);
        }
    }

    private IsoMessageWriter reserveBitmap() {
        bitmapIndex = out.writerIndex();
        out.writeZero(spec.bitmapEncoding().bytesPerBitmap());
        reservedBitmaps = 1;
        bitmaps[0] = 0;
        bitmaps[1] = 0;
        bitmaps[2] = 0;
        lastField = 1;
        load();
        return this;
    }

    /** Takes the writer index from out (and its heap array, which may change as out grows). */
    private void load() {
        if (out.hasArray()) {
            array = out.array();
            arrayBase = out.arrayOffset();
            at = arrayBase + out.writerIndex();
            arrayEnd = arrayBase + out.capacity();
            fastFields = 64 * reservedBitmaps;
        } else {
            array = null;
            fastFields = 0;
        }
    }

    /** Hands the writer index to out before anything writes through out's own methods. */
    private void sync() {
        if (array != null) {
            out.writerIndex(at - arrayBase);
        }
    }

    /** Sets a text, numeric, track or amount field (for a binary field: its bytes as hex). */
    public IsoMessageWriter field(int field, CharSequence value) {
        // Split so that each piece stays under the JIT's size limit for inlining a hot method (325
        // bytecodes): the common formats in fastEnd, whose short-value paths inline into it; the
        // rare cases (growing the buffer, a rejected value, other formats) in fieldThroughBuffer.
        // One method holding it all (496 bytes) was compiled as a call, and values over 12
        // characters took fieldThroughBuffer's six-call chain
        if (field > lastField && field <= fastFields && value instanceof String text) {
            int end = fastEnd(field, text);
            if (end >= 0) {
                at = end;
                bitmaps[(field - 1) >>> 6] |= Long.MIN_VALUE >>> (field - 1); // the shift takes the low 6 bits
                lastField = field;
                return this;
            }
        }
        return fieldThroughBuffer(field, value);
    }

    /**
     * Checks and writes {@code text} (prefix and content) as field {@code field} straight into the
     * heap array at {@code at}, for n and z as BCD and ans as ASCII, the common formats. Returns
     * where the field ends, or -1 (bytes at {@code at} may have been overwritten, none before it)
     * when the format or length is not one this path takes, a character is rejected or there is
     * not room: the general path then writes the value or says why not.
     */
    private int fastEnd(int field, String text) {
        int p = field << 2;
        int kind = fastText[p];
        int length = text.length();
        int max = fastText[p + 1];
        if (kind == FieldLayout.FAST_NONE || ((max & FieldLayout.FIXED) != 0 ? length != (max & ~FieldLayout.FIXED) : length > max)) {
            return -1;
        }
        int c = at + (fastText[p + 2] & 0xFF); // content, after the prefix
        int end = c + (kind == FieldLayout.FAST_LATIN1 ? length : (length + 1) >> 1);
        if (end > arrayEnd) {
            return -1;
        }
        int pad = fastText[p + 3];
        boolean ok;
        if (length > TableEncoder.STRAIGHT || kind == FieldLayout.FAST_TRACK) {
            ok = longFast(field, text, kind, length, pad, c);
        } else if (kind == FieldLayout.FAST_DIGITS) { // short Strings read in place
            ok = TableEncoder.packDigitsStraight(text, length, pad > 0xFF, pad & 0x0F, array, c);
        } else {
            ok = TableEncoder.copyLatin1Straight(text, length, array, c);
        }
        if (!ok) {
            return -1;
        }
        if (c > at) {
            writePrefix(field, length);
        }
        return end;
    }

    /** {@link #fastEnd}'s content for longer values and track data: copied out in bulk first, which beats a charAt per character. */
    private boolean longFast(int field, String text, int kind, int length, int pad, int c) {
        char[] chars = tables.charsOf(text, length);
        return switch (kind) {
            case FieldLayout.FAST_DIGITS -> TableEncoder.packDigits(chars, length, pad > 0xFF, pad & 0x0F, array, c);
            case FieldLayout.FAST_LATIN1 -> TableEncoder.copyLatin1(chars, length, array, c);
            default -> TableEncoder.packBcd(chars, length, pad > 0xFF, pad & 0x0F, layout.charTable[field], array, c);
        };
    }

    /** A fast-path field's length prefix at {@code at}: one or two BCD bytes written here, others by the encoding. */
    private void writePrefix(int field, int length) {
        int prefix = fastText[field << 2 | 2];
        int width = prefix & 0xFF;
        if ((prefix & 0x100) != 0 && width <= 2) {
            if (width == 2) {
                array[at] = (byte) ((length / 1000 % 10) << 4 | length / 100 % 10);
                array[at + 1] = (byte) ((length / 10 % 10) << 4 | length % 10);
            } else {
                array[at] = (byte) ((length / 10 % 10) << 4 | length % 10);
            }
        } else {
            layout.prefix[field].write(array, at, layout.prefixDigits[field], length);
        }
    }

    /** Sets a field in order: its bit in the bitmap its number falls in, which has room already. */
    private void markFast(int field) {
        bitmaps[(field - 1) >>> 6] |= Long.MIN_VALUE >>> (field - 1); // the shift takes the low 6 bits
        lastField = field;
    }

    /** {@link #field(int, CharSequence)} when the fast path did not take it: grows the buffer, or checks and writes through the general path. */
    private IsoMessageWriter fieldThroughBuffer(int field, CharSequence value) {
        sync();
        FieldSpec fieldSpec = open(field);
        Objects.requireNonNull(value, "value");
        if (field <= fastFields) {
            out.ensureWritable(fieldSpec.prefixWidth() + 2 * value.length()); // the most the fast path writes for it
            load();
            int wrote = tables.write(field, value, array, at, arrayEnd - at);
            if (wrote >= 0) {
                at += wrote;
                markFast(field);
                return this;
            }
        }
        int units = FieldEncoder.checkText(fieldSpec, value);
        mark(field);
        FieldEncoder.writeText(fieldSpec, value, units, out);
        load();
        return this;
    }

    /** Sets a numeric field from a number, zero-padded to its fixed length (no allocation). */
    public IsoMessageWriter field(int field, long value) {
        // A fixed n field as BCD, the common case, written here into the heap array: last byte
        // first, two digits a byte by one division by 100 and a table (BCD_PAIRS)
        if (field > lastField && field <= fastFields && value >= 0) {
            int p = field << 2;
            int max = fastText[p + 1];
            int units = max & ~FieldLayout.FIXED;
            if (fastText[p] == FieldLayout.FAST_DIGITS && (max & FieldLayout.FIXED) != 0 && units < POWERS_OF_TEN.length
                    && value < POWERS_OF_TEN[units] && at + ((units + 1) >> 1) <= arrayEnd) {
                byte[] to = array;
                int start = at;
                int o = start + ((units + 1) >> 1) - 1; // the last byte
                int pad = fastText[p + 3];
                long rest = value;
                if ((units & 1) == 1 && pad <= 0xFF) { // an odd count padded on the right: the last digit, then the pad nibble
                    to[o--] = (byte) ((int) (rest % 10) << 4 | (pad & 0x0F));
                    rest /= 10;
                }
                for (; o > start; o--) {
                    to[o] = BCD_PAIRS[(int) (rest % 100)];
                    rest /= 100;
                }
                if (o == start) { // the first byte: two digits, or the pad nibble and one (rest < 10 then)
                    to[o] = (units & 1) == 1 && pad > 0xFF ? (byte) ((pad & 0x0F) << 4 | (int) rest) : BCD_PAIRS[(int) rest];
                }
                at = start + ((units + 1) >> 1);
                markFast(field);
                return this;
            }
        }
        return numberThroughBuffer(field, value);
    }

    /** {@link #field(int, long)} for every format the in-method path does not take, and every rejected value. */
    private IsoMessageWriter numberThroughBuffer(int field, long value) {
        sync();
        FieldSpec fieldSpec = open(field);
        if (value < 0) {
            throw new IsoCodecException(fieldSpec.path(), -1, "expected a non-negative number, found a negative one");
        }
        if (fieldSpec.type() != io.isoswitch.codec.spec.FieldType.N) {
            throw new IsoCodecException(fieldSpec.path(), -1, "expected a text value: the field's type is " + fieldSpec.type().code());
        }
        int digits = 1;
        for (long rest = value / 10; rest > 0; rest /= 10) {
            digits++;
        }
        int units = fieldSpec.fixed() ? fieldSpec.maxLength() : digits;
        if (digits > fieldSpec.maxLength()) {
            throw new IsoCodecException(fieldSpec.path(), -1, "expected at most " + fieldSpec.maxLength() + " digits, found " + digits);
        }
        mark(field);
        FieldEncoder.writeNumber(fieldSpec, value, units, out);
        load();
        return this;
    }

    /** Sets a binary field from bytes. */
    public IsoMessageWriter bytes(int field, byte[] value) {
        if (field > lastField && field <= fastFields && value != null) {
            int wrote = tables.writeBytes(field, value, array, at, arrayEnd - at);
            if (wrote >= 0) {
                at += wrote;
                markFast(field);
                return this;
            }
        }
        sync();
        FieldSpec fieldSpec = binaryField(field);
        FieldEncoder.checkByteCount(fieldSpec, value.length);
        mark(field);
        FieldEncoder.writeBytes(fieldSpec, value, out);
        load();
        return this;
    }

    /** Sets a binary field from {@code value}'s readable bytes (its indexes are left unchanged). */
    public IsoMessageWriter bytes(int field, ByteBuf value) {
        sync();
        FieldSpec fieldSpec = binaryField(field);
        FieldEncoder.checkByteCount(fieldSpec, value.readableBytes());
        mark(field);
        FieldEncoder.writeBytes(fieldSpec, value, value.readerIndex(), value.readableBytes(), out);
        load();
        return this;
    }

    private FieldSpec binaryField(int field) {
        FieldSpec fieldSpec = open(field);
        if (!fieldSpec.binary()) {
            throw new IsoCodecException(fieldSpec.path(), -1, "expected a text value: the field's type is " + fieldSpec.type().code());
        }
        return fieldSpec;
    }

    /**
     * Echoes field {@code field} of {@code from} by copying its raw wire bytes (prefix included)
     * without decoding them. The view must decode the same field format as this writer's spec.
     */
    public IsoMessageWriter copy(IsoMessageView from, int field) {
        sync();
        FieldSpec fieldSpec = open(field);
        FieldSpec source = from.fieldSpec(field);
        if (from.spec() != spec && !fieldSpec.equals(source)) {
            throw new IsoCodecException(fieldSpec.path(), -1, "cannot copy raw bytes between different field formats ("
                    + (source == null ? "undefined" : source.format()) + " in " + from.spec().name() + " vs "
                    + fieldSpec.format() + " in " + spec.name() + ")");
        }
        if (!from.has(field)) {
            throw new IsoCodecException(fieldSpec.path(), -1, "expected the source message to carry the field, found it absent");
        }
        mark(field);
        from.copyRawTo(field, out);
        load();
        return this;
    }

    /** Echoes every field of {@code fields} that {@code from} carries, skipping absent ones. */
    public IsoMessageWriter copyPresent(IsoMessageView from, int... fields) {
        for (int field : fields) {
            if (from.has(field)) {
                copy(from, field);
            }
        }
        return this;
    }

    /** The highest field written so far in the message begun (1, the bitmap, before any): fields go in ascending order. */
    public int lastField() {
        return lastField;
    }

    /** Writes the bitmap(s) and returns the number of bytes the message occupies. */
    public int finish() {
        if (out == null) {
            throw new IllegalStateException("begin a message before finishing it");
        }
        sync();
        if (reservedBitmaps >= 2) {
            bitmaps[0] |= Long.MIN_VALUE;
        }
        if (reservedBitmaps == 3) {
            bitmaps[1] |= Long.MIN_VALUE;
        }
        int bytesPerBitmap = spec.bitmapEncoding().bytesPerBitmap();
        for (int b = 0; b < reservedBitmaps; b++) {
            int at = bitmapIndex + b * bytesPerBitmap;
            if (spec.bitmapEncoding() == BitmapEncoding.BINARY) {
                out.setLong(at, bitmaps[b]);
            } else {
                for (int i = 0; i < 16; i++) {
                    out.setByte(at + i, HEX[(int) (bitmaps[b] >>> (60 - 4 * i)) & 0x0F]);
                }
            }
        }
        int written = out.writerIndex() - startIndex;
        out = null;
        array = null;
        fastFields = 0;
        return written;
    }

    private FieldSpec open(int field) {
        if (out == null) {
            throw new IllegalStateException("begin a message before setting fields");
        }
        FieldSpec fieldSpec = spec.field(field);
        if (fieldSpec == null) {
            throw new IsoCodecException(Integer.toString(field), -1, "field is not defined in " + spec.name());
        }
        if (field <= lastField) {
            throw new IsoCodecException(fieldSpec.path(), -1, "fields must be set in ascending order, found it after field " + lastField);
        }
        return fieldSpec;
    }

    private void mark(int field) {
        int needed = (field - 1) / 64 + 1;
        if (needed > reservedBitmaps) {
            makeRoomForBitmaps(needed);
        }
        int b = (field - 1) / 64;
        bitmaps[b] |= Long.MIN_VALUE >>> ((field - 1) % 64);
        lastField = field;
    }

    /** Moves the fields written so far right to make room for the secondary (and tertiary) bitmap. */
    private void makeRoomForBitmaps(int needed) {
        int bytesPerBitmap = spec.bitmapEncoding().bytesPerBitmap();
        int extra = (needed - reservedBitmaps) * bytesPerBitmap;
        int from = bitmapIndex + reservedBitmaps * bytesPerBitmap;
        int length = out.writerIndex() - from;
        out.ensureWritable(extra);
        out.writerIndex(out.writerIndex() + extra);
        for (int i = length - 1; i >= 0; i--) {
            out.setByte(from + extra + i, out.getByte(from + i));
        }
        out.setZero(from, extra);
        reservedBitmaps = needed;
    }
}
