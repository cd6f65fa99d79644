package io.isoswitch.codec.cup;

import io.isoswitch.codec.IsoCodecException;
import io.netty.buffer.ByteBuf;

/**
 * The 6-byte CUP application header that follows the TPDU.
 *
 * <pre>
 * byte 1   application category   60 magstripe, 61 IC, 62/63 value-added
 * byte 2   software version       e.g. 21 (2002 CUP spec), 31
 * byte 3   high nibble: terminal status (0 normal, 1 test); low nibble: processing requirement
 *          set by the host (0 none, 1 download parameters, 3 sign on again, 4 IC keys, 5 IC params, ...)
 * bytes 4-6 software sub-version (BCD, e.g. 31 10 00)
 * </pre>
 *
 * @param applicationCategory byte 1
 * @param softwareVersion byte 2
 * @param terminalStatus high nibble of byte 3
 * @param processingRequirement low nibble of byte 3
 * @param subVersion bytes 4-6 as a 24-bit value (BCD shown as hex: 0x311000 for "311000")
 */
public record CupHeader(int applicationCategory, int softwareVersion, int terminalStatus, int processingRequirement,
        int subVersion) {
    /** Wire length of the header. */
    public static final int LENGTH = 6;
    /** What UnionPay framing puts before the message: the TPDU and this header. */
    public static final int PREFIX_LENGTH = Tpdu.LENGTH + LENGTH;

    /** Checks the components fit their bytes and nibbles. */
    public CupHeader {
        checkRange("applicationCategory", applicationCategory, 0xFF);
        checkRange("softwareVersion", softwareVersion, 0xFF);
        checkRange("terminalStatus", terminalStatus, 0xF);
        checkRange("processingRequirement", processingRequirement, 0xF);
        checkRange("subVersion", subVersion, 0xFFFFFF);
    }

    private static void checkRange(String name, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(name + " must be 0.." + max + ", found " + value);
        }
    }

    /** Reads a header at {@code index} without moving the reader index. */
    public static CupHeader read(ByteBuf buf, int index) {
        if (index < 0 || buf.writerIndex() - index < LENGTH) {
            throw new IsoCodecException("header", index, "expected " + LENGTH + " bytes, found "
                    + Math.max(0, buf.writerIndex() - index));
        }
        int status = buf.getUnsignedByte(index + 2);
        return new CupHeader(buf.getUnsignedByte(index), buf.getUnsignedByte(index + 1), status >>> 4, status & 0x0F,
                buf.getUnsignedMedium(index + 3));
    }

    /** Writes the header at the writer index. */
    public void write(ByteBuf out) {
        out.writeByte(applicationCategory).writeByte(softwareVersion)
                .writeByte((terminalStatus << 4) | processingRequirement).writeMedium(subVersion);
    }

    /** The same header with a new processing requirement (what a host does in a response). */
    public CupHeader withProcessingRequirement(int requirement) {
        return new CupHeader(applicationCategory, softwareVersion, terminalStatus, requirement, subVersion);
    }

    @Override
    public String toString() {
        return String.format("%02X%02X%X%X%06X", applicationCategory, softwareVersion, terminalStatus, processingRequirement, subVersion);
    }
}
