package io.isoswitch.codec.tlv;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.Locale;

/**
 * A zero-copy flyweight over BER-TLV bytes (EMV field 55): {@link #wrap} it over a region of a
 * {@link ByteBuf}, then call {@link #next()} to step from element to element. Nothing is copied
 * and nothing is allocated while iterating; reads are named by their cost: {@link #valueOffset()}
 * and {@link #valueLength()} are free, {@link #value()} allocates a slice view, {@link
 * #copyValue(byte[], int)} copies into the caller's array.
 *
 * <pre>
 * element := tag (1-4 bytes) length (1-5 bytes) value (length bytes)
 * length  := 0xxxxxxx            short form, 0..127
 *          | 1000 0nnn + n bytes long form, n = 1..4 (0x80, indefinite, is not allowed in EMV)
 * </pre>
 *
 * <p>A constructed element (tag bit b6 of the first byte) holds more TLVs: iterate them with a
 * second reader, {@code child.wrapValueOf(this)}, which keeps the path for error messages.
 *
 * <p>Malformed bytes (a truncated tag, a length that runs past the end, a tag longer than 4 bytes,
 * an indefinite length) throw {@link TlvException} naming the tag path and the offset from the
 * start of the TLV data. The reader neither retains nor releases the buffer: the caller keeps it
 * alive while reading and while using any {@link #value()} slice.
 *
 * <p>Padding bytes ({@code 00} between elements, which EMV allows on a card) are not skipped: in
 * field 55 they do not occur, and reading them as elements keeps a read-then-copy byte identical.
 */
public final class TlvReader {
    /** The label of the outermost level in error paths when none is given. */
    public static final String FIELD_55 = "55";

    private static final int MAX_LENGTH_BYTES = 4;

    private ByteBuf buffer;
    private String rootLabel = FIELD_55;
    private TlvReader parent;
    private int origin;
    private int start;
    private int limit;
    private int position;

    private int tag;
    private int elementOffset;
    private int valueOffset;
    private int valueLength;
    private int lengthEnd;
    private boolean onElement;

    /** Wraps {@code length} bytes of {@code buffer} from {@code offset}, labelled {@code 55} in errors. */
    public TlvReader wrap(ByteBuf buffer, int offset, int length) {
        return wrap(FIELD_55, buffer, offset, length);
    }

    /**
     * Wraps {@code length} bytes of {@code buffer} from {@code offset}; {@code label} begins the tag
     * path in error messages. Allocates nothing.
     *
     * @throws IllegalArgumentException when the region lies outside the buffer
     */
    public TlvReader wrap(String label, ByteBuf buffer, int offset, int length) {
        if (offset < 0 || length < 0 || offset > buffer.capacity() - length) {
            throw new IllegalArgumentException("region offset=" + offset + " length=" + length
                    + " is outside the buffer of capacity " + buffer.capacity());
        }
        this.rootLabel = label;
        this.parent = null;
        this.buffer = buffer;
        this.origin = offset;
        this.start = offset;
        this.limit = offset + length;
        rewind();
        return this;
    }

    /**
     * Wraps the value of {@code parent}'s current element, which must be constructed, to iterate
     * its children. Errors found here name the parent's path.
     *
     * @throws IllegalStateException when the parent is not on a constructed element
     */
    public TlvReader wrapValueOf(TlvReader parent) {
        if (!parent.onElement || !parent.isConstructed()) {
            throw new IllegalStateException("parent reader is not on a constructed element");
        }
        this.rootLabel = parent.rootLabel;
        this.parent = parent;
        this.buffer = parent.buffer;
        this.origin = parent.origin;
        this.start = parent.valueOffset;
        this.limit = parent.valueOffset + parent.valueLength;
        rewind();
        return this;
    }

    /** Goes back to before the first element. */
    public TlvReader rewind() {
        position = start;
        onElement = false;
        tag = 0;
        return this;
    }

    /**
     * Steps to the next element.
     *
     * @return false at the end of the data
     * @throws TlvException when the next element is malformed
     */
    public boolean next() {
        onElement = false;
        if (position >= limit) {
            return false;
        }
        elementOffset = position;
        int index = readTag(position);
        valueLength = readLength(index);
        valueOffset = lengthEnd;
        if (valueLength > limit - valueOffset) {
            throw error(valueOffset, "value of at most " + (limit - valueOffset) + " bytes",
                    "length " + valueLength);
        }
        position = valueOffset + valueLength;
        onElement = true;
        return true;
    }

    /**
     * Steps forward to the next element with this tag at this level.
     *
     * @return false when no later element has it
     */
    public boolean seek(int wantedTag) {
        while (next()) {
            if (tag == wantedTag) {
                return true;
            }
        }
        return false;
    }

    /** The current element's tag as an int, e.g. {@code 0x9F26}. */
    public int tag() {
        requireElement();
        return tag;
    }

    /** Whether the current element holds nested TLVs. */
    public boolean isConstructed() {
        return BerTags.isConstructed(tag());
    }

    /** Index in the buffer where the current element's tag starts. */
    public int elementOffset() {
        requireElement();
        return elementOffset;
    }

    /** Bytes of the whole current element: tag, length and value. */
    public int elementLength() {
        requireElement();
        return valueOffset + valueLength - elementOffset;
    }

    /** Index in the buffer where the current element's value starts. */
    public int valueOffset() {
        requireElement();
        return valueOffset;
    }

    /** Length of the current element's value in bytes. */
    public int valueLength() {
        requireElement();
        return valueLength;
    }

    /** The buffer this reader reads. */
    public ByteBuf buffer() {
        return buffer;
    }

    /** A zero-copy slice of the value (allocates the slice object; not retained). */
    public ByteBuf value() {
        return buffer.slice(valueOffset(), valueLength);
    }

    /** A zero-copy slice of the whole element as it was on the wire (not retained). */
    public ByteBuf element() {
        return buffer.slice(elementOffset(), elementLength());
    }

    /** Copies the value into {@code dst} at {@code dstIndex} and returns the number of bytes copied. */
    public int copyValue(byte[] dst, int dstIndex) {
        buffer.getBytes(valueOffset(), dst, dstIndex, valueLength);
        return valueLength;
    }

    /** The value as uppercase hex (allocates; may be card data: callers decide about masking). */
    public String valueHex() {
        return ByteBufUtil.hexDump(buffer, valueOffset(), valueLength).toUpperCase(Locale.ROOT);
    }

    /** The path to the current element for messages, e.g. {@code 55 -> 70 -> 9F26}. */
    public String tagPath() {
        StringBuilder path = new StringBuilder();
        appendPath(path);
        return path.toString();
    }

    private void appendPath(StringBuilder path) {
        if (parent == null) {
            path.append(rootLabel);
        } else {
            parent.appendPath(path);
        }
        if (onElement || tag != 0) {
            path.append(" -> ").append(BerTags.toHex(tag));
        }
    }

    /** Reads the tag at {@code index}, stores it, and returns the index after it. */
    private int readTag(int index) {
        tag = 0;
        int first = buffer.getUnsignedByte(index++);
        int value = first;
        if ((first & BerTags.MORE_TAG_BYTES_MASK) == BerTags.MORE_TAG_BYTES_MASK) {
            int count = 1;
            int b;
            do {
                if (index >= limit) {
                    tag = value;
                    throw error(index, "another tag byte", "end of data");
                }
                if (count == BerTags.MAX_TAG_BYTES) {
                    tag = value;
                    throw error(elementOffset, "a tag of at most " + BerTags.MAX_TAG_BYTES + " bytes", "a longer tag");
                }
                b = buffer.getUnsignedByte(index++);
                value = (value << 8) | b;
                count++;
            } while ((b & BerTags.CONTINUATION_BIT) != 0);
        }
        tag = value;
        return index;
    }

    /** Reads the length at {@code index}, sets {@link #lengthEnd}, and returns the length. */
    private int readLength(int index) {
        if (index >= limit) {
            throw error(index, "a length byte", "end of data");
        }
        int first = buffer.getUnsignedByte(index++);
        if (first < 0x80) {
            lengthEnd = index;
            return first;
        }
        int count = first & 0x7F;
        if (count == 0 || count > MAX_LENGTH_BYTES) {
            throw error(index - 1, "a definite length of 1 to " + MAX_LENGTH_BYTES + " length bytes",
                    String.format(Locale.ROOT, "length byte %02X", first));
        }
        if (count > limit - index) {
            throw error(index, count + " length bytes", (limit - index) + " bytes left");
        }
        long length = 0;
        for (int i = 0; i < count; i++) {
            length = (length << 8) | buffer.getUnsignedByte(index++);
        }
        if (length > Integer.MAX_VALUE) {
            throw error(index - count, "a length that fits the data", "length " + length);
        }
        lengthEnd = index;
        return (int) length;
    }

    private TlvException error(int index, String expected, String found) {
        return new TlvException(tagPath(), index - origin, expected, found);
    }

    private void requireElement() {
        if (!onElement) {
            throw new IllegalStateException("reader is not on an element: call next() first");
        }
    }

    /** Describes the position, never the data. */
    @Override
    public String toString() {
        return "TlvReader[" + (buffer == null ? "unwrapped" : tagPath() + " at offset " + (position - origin)) + "]";
    }
}
