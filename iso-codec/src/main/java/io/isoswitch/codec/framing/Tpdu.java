package io.isoswitch.codec.framing;

import io.netty.buffer.ByteBuf;

/**
 * The 5-byte TPDU that UnionPay POS terminals put before the application header (cup-pos.md
 * section 1): an ID byte ({@code 60}), a 2-byte destination address and a 2-byte source address.
 * A response goes back with the two addresses swapped.
 *
 * <pre>
 * 60 | 00 04 | 00 00      request:  ID, destination 0004, source 0000
 * 60 | 00 00 | 00 04      response: ID, destination 0000, source 0004
 * </pre>
 */
public final class Tpdu {
    /** Bytes of a TPDU. */
    public static final int LENGTH = 5;
    /** Bytes of the UnionPay application header that follows the TPDU. */
    public static final int CUP_HEADER_LENGTH = 6;
    /** TPDU plus application header: the prefix of a {@code cup-pos} frame. */
    public static final int CUP_PREFIX_LENGTH = LENGTH + CUP_HEADER_LENGTH;

    private Tpdu() {
    }

    /** The destination address at {@code index + 1} as an unsigned 16-bit number. */
    public static int destination(ByteBuf buf, int index) {
        return buf.getUnsignedShort(index + 1);
    }

    /** The source address at {@code index + 3} as an unsigned 16-bit number. */
    public static int source(ByteBuf buf, int index) {
        return buf.getUnsignedShort(index + 3);
    }

    /**
     * Writes the response prefix for a request prefix: the TPDU with its addresses swapped, then
     * the rest of the request prefix (the application header) unchanged. The host may then set the
     * header's processing-requirement nibble in place.
     *
     * @param requestPrefix the readable bytes are the request's prefix, at least {@link #LENGTH}
     * @param out           receives {@code requestPrefix.readableBytes()} bytes
     */
    public static void writeResponsePrefix(ByteBuf requestPrefix, ByteBuf out) {
        int index = requestPrefix.readerIndex();
        int length = requestPrefix.readableBytes();
        if (length < LENGTH) {
            throw new IllegalArgumentException("a TPDU prefix needs " + LENGTH + " bytes, was " + length);
        }
        out.writeByte(requestPrefix.getByte(index));
        out.writeShort(source(requestPrefix, index));
        out.writeShort(destination(requestPrefix, index));
        out.writeBytes(requestPrefix, index + LENGTH, length - LENGTH);
    }
}
