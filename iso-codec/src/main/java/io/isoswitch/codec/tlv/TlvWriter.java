package io.isoswitch.codec.tlv;

import io.netty.buffer.ByteBuf;

/**
 * Encodes BER-TLV into a {@link ByteBuf} at its writer index, always in the minimal length form
 * (short form up to 127, then {@code 81}, {@code 82}, {@code 83}, {@code 84} with 1 to 4 length
 * bytes). A flyweight: {@link #wrap(ByteBuf)} returns {@code this} and writing allocates nothing
 * beyond what the buffer needs to grow.
 *
 * <p>Constructed elements are written between {@link #begin(int)} and {@link #end()}; their
 * length is patched in at the end (content is moved only when it exceeds 127 bytes). Elements
 * read from elsewhere, known or not, are written back byte for byte with {@link
 * #copy(TlvReader)}, which is how unknown tags survive a round trip unchanged.
 *
 * <p>The writer neither retains nor releases the buffers it is given.
 */
public final class TlvWriter {
    /** How deep constructed elements may nest; EMV field 55 nests at most 2 levels. */
    public static final int MAX_DEPTH = 8;

    private static final int SHORT_FORM_MAX = 0x7F;

    private final int[] lengthIndexes = new int[MAX_DEPTH];
    private int depth;
    private ByteBuf out;

    /** Starts writing at {@code out}'s writer index. */
    public TlvWriter wrap(ByteBuf out) {
        this.out = out;
        this.depth = 0;
        return this;
    }

    /** Writes a primitive or constructed element whose value is the readable bytes of {@code value}. */
    public TlvWriter put(int tag, ByteBuf value) {
        int length = value.readableBytes();
        writeTag(tag);
        writeLength(length);
        out.writeBytes(value, value.readerIndex(), length);
        return this;
    }

    /** Writes an element whose value is {@code value}. */
    public TlvWriter put(int tag, byte[] value) {
        writeTag(tag);
        writeLength(value.length);
        out.writeBytes(value);
        return this;
    }

    /** Writes the element the reader is on exactly as it was read (tag, length form and value). */
    public TlvWriter copy(TlvReader reader) {
        out.writeBytes(reader.buffer(), reader.elementOffset(), reader.elementLength());
        return this;
    }

    /**
     * Opens a constructed element; what is written until the matching {@link #end()} is its value.
     *
     * @throws IllegalArgumentException when the tag is not a constructed tag
     * @throws IllegalStateException    when {@link #MAX_DEPTH} elements are already open
     */
    public TlvWriter begin(int tag) {
        if (!BerTags.isConstructed(tag)) {
            throw new IllegalArgumentException("tag " + BerTags.toHex(tag) + " is not constructed");
        }
        if (depth == MAX_DEPTH) {
            throw new IllegalStateException("constructed elements nest deeper than " + MAX_DEPTH);
        }
        writeTag(tag);
        lengthIndexes[depth++] = out.writerIndex();
        out.writeByte(0);
        return this;
    }

    /** Closes the innermost open constructed element and writes its length. */
    public TlvWriter end() {
        if (depth == 0) {
            throw new IllegalStateException("end() without begin()");
        }
        int lengthIndex = lengthIndexes[--depth];
        int contentStart = lengthIndex + 1;
        int contentLength = out.writerIndex() - contentStart;
        int extra = lengthFieldSize(contentLength) - 1;
        if (extra > 0) {
            out.ensureWritable(extra);
            // move the content right, last byte first, so the bytes overlap safely
            for (int i = contentLength - 1; i >= 0; i--) {
                out.setByte(contentStart + extra + i, out.getByte(contentStart + i));
            }
            out.writerIndex(out.writerIndex() + extra);
        }
        setLength(lengthIndex, contentLength);
        return this;
    }

    /** How many constructed elements are open. */
    public int depth() {
        return depth;
    }

    /** Bytes the minimal length field takes for a value of {@code length} bytes. */
    public static int lengthFieldSize(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0, was " + length);
        }
        if (length <= SHORT_FORM_MAX) {
            return 1;
        }
        if (length <= 0xFF) {
            return 2;
        }
        if (length <= 0xFFFF) {
            return 3;
        }
        return length <= 0xFF_FFFF ? 4 : 5;
    }

    private void writeTag(int tag) {
        if (!BerTags.isWellFormed(tag)) {
            throw new IllegalArgumentException("not a well-formed BER tag: " + BerTags.toHex(tag));
        }
        for (int i = BerTags.byteCount(tag) - 1; i >= 0; i--) {
            out.writeByte(tag >>> (i * 8));
        }
    }

    private void writeLength(int length) {
        int index = out.writerIndex();
        out.writeZero(lengthFieldSize(length));
        setLength(index, length);
    }

    /** Sets the minimal length field at {@code index}; the space must already be there. */
    private void setLength(int index, int length) {
        int size = lengthFieldSize(length);
        if (size == 1) {
            out.setByte(index, length);
            return;
        }
        out.setByte(index, 0x80 | (size - 1));
        for (int i = 1; i < size; i++) {
            out.setByte(index + i, length >>> ((size - 1 - i) * 8));
        }
    }
}
