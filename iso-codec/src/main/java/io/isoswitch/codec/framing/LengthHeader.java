package io.isoswitch.codec.framing;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.Locale;

/**
 * The kinds of length header that precede a frame, each counting the bytes after itself:
 *
 * <pre>
 * binary2  2 bytes unsigned big-endian      01 7F       = 383   (iso87binary, cup-pos)
 * ascii4   4 ASCII decimal digits           30 33 38 33 = 383   (iso87ascii)
 * bcd2     2 bytes packed BCD, 4 digits     03 83       = 383
 * </pre>
 */
public enum LengthHeader {
    /** 2-byte unsigned binary length, big-endian. */
    BINARY2("binary2", 2, 0xFFFF),
    /** 4 ASCII digits '0'..'9' (0x30..0x39). */
    ASCII4("ascii4", 4, 9999),
    /** 2 bytes of packed BCD, 4 decimal digits. */
    BCD2("bcd2", 2, 9999);

    private final String kindName;
    private final int size;
    private final int maxLength;

    LengthHeader(String kindName, int size, int maxLength) {
        this.kindName = kindName;
        this.size = size;
        this.maxLength = maxLength;
    }

    /** The name used in configuration, e.g. {@code binary2}. */
    public String kindName() {
        return kindName;
    }

    /** Bytes the header occupies. */
    public int size() {
        return size;
    }

    /** Largest length the header can express. */
    public int maxLength() {
        return maxLength;
    }

    /**
     * Checks that a header of this kind can carry lengths up to {@code maxFrameLengthBytes}.
     *
     * @throws IllegalArgumentException naming the kind and its limit
     */
    public void requireCanExpress(int maxFrameLengthBytes) {
        if (maxFrameLengthBytes > maxLength) {
            throw new IllegalArgumentException("maxFrameLengthBytes " + maxFrameLengthBytes
                    + " is beyond what a " + kindName + " header can say (" + maxLength + ")");
        }
    }

    /**
     * The header kind configured by {@code name}.
     *
     * @throws IllegalArgumentException naming the known kinds when the name is unknown
     */
    public static LengthHeader named(String name) {
        for (LengthHeader header : values()) {
            if (header.kindName.equals(name)) {
                return header;
            }
        }
        throw new IllegalArgumentException("unknown framing kind '" + name + "', expected one of "
                + Arrays.stream(values()).map(LengthHeader::kindName).toList());
    }

    /**
     * Reads the length at {@code index} without moving any index.
     *
     * @return the length, or -1 when a byte is not a digit of this kind (the caller reports it)
     */
    int read(ByteBuf buf, int index) {
        return switch (this) {
            case BINARY2 -> buf.getUnsignedShort(index);
            case ASCII4 -> readAscii(buf, index);
            case BCD2 -> readBcd(buf, index);
        };
    }

    /** Writes {@code length}, which the caller has checked against {@link #maxLength()}. */
    void write(int length, ByteBuf out) {
        switch (this) {
            case BINARY2 -> out.writeShort(length);
            case ASCII4 -> {
                out.writeByte('0' + length / 1000);
                out.writeByte('0' + length / 100 % 10);
                out.writeByte('0' + length / 10 % 10);
                out.writeByte('0' + length % 10);
            }
            case BCD2 -> {
                out.writeByte((length / 1000) << 4 | length / 100 % 10);
                out.writeByte((length / 10 % 10) << 4 | length % 10);
            }
        }
    }

    /** The header bytes as hex, for error messages (a header is a length, not card data). */
    String hex(ByteBuf buf, int index) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < size; i++) {
            text.append(String.format(Locale.ROOT, "%02X", buf.getUnsignedByte(index + i)));
        }
        return text.toString();
    }

    private static int readAscii(ByteBuf buf, int index) {
        int length = 0;
        for (int i = 0; i < 4; i++) {
            int digit = buf.getUnsignedByte(index + i) - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            length = length * 10 + digit;
        }
        return length;
    }

    private static int readBcd(ByteBuf buf, int index) {
        int length = 0;
        for (int i = 0; i < 2; i++) {
            int b = buf.getUnsignedByte(index + i);
            int high = b >>> 4;
            int low = b & 0x0F;
            if (high > 9 || low > 9) {
                return -1;
            }
            length = length * 100 + high * 10 + low;
        }
        return length;
    }
}
