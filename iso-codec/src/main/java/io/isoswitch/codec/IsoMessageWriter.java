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
 */
public final class IsoMessageWriter {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final MessageSpec spec;
    private final TableEncoder tables;
    private final long[] bitmaps = new long[3];
    private ByteBuf out;
    private int bitmapIndex;
    private int reservedBitmaps;
    private int lastField;
    private int startIndex;

    /** A reusable writer for messages of {@code spec}. */
    public IsoMessageWriter(MessageSpec spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.tables = new TableEncoder(FieldLayout.of(spec));
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
        tables.reset();
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
        return this;
    }

    /** Sets a text, numeric, track or amount field (for a binary field: its bytes as hex). */
    public IsoMessageWriter field(int field, CharSequence value) {
        FieldSpec fieldSpec = open(field);
        Objects.requireNonNull(value, "value");
        if (tables.write(field, fieldSpec, value, out)) {
            mark(field);
            return this;
        }
        int units = FieldEncoder.checkText(fieldSpec, value);
        mark(field);
        FieldEncoder.writeText(fieldSpec, value, units, out);
        return this;
    }

    /** Sets a numeric field from a number, zero-padded to its fixed length (no allocation). */
    public IsoMessageWriter field(int field, long value) {
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
        return this;
    }

    /** Sets a binary field from bytes. */
    public IsoMessageWriter bytes(int field, byte[] value) {
        FieldSpec fieldSpec = binaryField(field);
        FieldEncoder.checkByteCount(fieldSpec, value.length);
        mark(field);
        if (!tables.writeBytes(field, fieldSpec, value, out)) {
            FieldEncoder.writeBytes(fieldSpec, value, out);
        }
        return this;
    }

    /** Sets a binary field from {@code value}'s readable bytes (its indexes are left unchanged). */
    public IsoMessageWriter bytes(int field, ByteBuf value) {
        FieldSpec fieldSpec = binaryField(field);
        FieldEncoder.checkByteCount(fieldSpec, value.readableBytes());
        mark(field);
        FieldEncoder.writeBytes(fieldSpec, value, value.readerIndex(), value.readableBytes(), out);
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

    /** Writes the bitmap(s) and returns the number of bytes the message occupies. */
    public int finish() {
        if (out == null) {
            throw new IllegalStateException("begin a message before finishing it");
        }
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
        tables.reset();
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
