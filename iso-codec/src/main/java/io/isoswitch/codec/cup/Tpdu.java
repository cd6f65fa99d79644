package io.isoswitch.codec.cup;

import io.isoswitch.codec.IsoCodecException;
import io.netty.buffer.ByteBuf;

/**
 * The 5-byte TPDU that precedes a {@code cup-pos} message on the wire: an ID byte ({@code 0x60})
 * and two 2-byte addresses. A host answers with the addresses swapped ({@link #reply()}).
 *
 * <pre>
 * 60 0004 0000
 * id dest source
 * </pre>
 *
 * @param id the TPDU id, normally 0x60
 * @param destination destination address (NII), 0..0xFFFF
 * @param source source address, 0..0xFFFF
 */
public record Tpdu(int id, int destination, int source) {
    /** Wire length of a TPDU. */
    public static final int LENGTH = 5;
    /** The usual TPDU id. */
    public static final int TRANSACTION_ID = 0x60;

    /** Checks the components fit their bytes. */
    public Tpdu {
        if (id < 0 || id > 0xFF) {
            throw new IllegalArgumentException("id must be 0..0xFF, found " + id);
        }
        if (destination < 0 || destination > 0xFFFF) {
            throw new IllegalArgumentException("destination must be 0..0xFFFF, found " + destination);
        }
        if (source < 0 || source > 0xFFFF) {
            throw new IllegalArgumentException("source must be 0..0xFFFF, found " + source);
        }
    }

    /** Reads a TPDU at {@code index} without moving the reader index. */
    public static Tpdu read(ByteBuf buf, int index) {
        if (index < 0 || buf.writerIndex() - index < LENGTH) {
            throw new IsoCodecException("tpdu", index, "expected " + LENGTH + " bytes, found "
                    + Math.max(0, buf.writerIndex() - index));
        }
        return new Tpdu(buf.getUnsignedByte(index), buf.getUnsignedShort(index + 1), buf.getUnsignedShort(index + 3));
    }

    /** Writes the TPDU at the writer index. */
    public void write(ByteBuf out) {
        out.writeByte(id).writeShort(destination).writeShort(source);
    }

    /** The TPDU of the reply: same id, addresses swapped. */
    public Tpdu reply() {
        return new Tpdu(id, source, destination);
    }

    @Override
    public String toString() {
        return String.format("%02X%04X%04X", id, destination, source);
    }
}
