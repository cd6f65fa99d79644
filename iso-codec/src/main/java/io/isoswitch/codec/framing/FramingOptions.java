package io.isoswitch.codec.framing;

import io.isoswitch.codec.cup.CupHeader;
import io.isoswitch.codec.cup.Tpdu;

/**
 * How a listener frames its stream, beside the kind of length header.
 *
 * @param prefixLength       fixed bytes after the length header that belong to the frame but not
 *                           to the message (11 for {@code cup-pos}: TPDU and header; 0 otherwise)
 * @param tpdu               whether the prefix starts with a TPDU whose addresses a response swaps
 * @param maxFrameLengthBytes the largest length header accepted; a larger one closes the
 *                           connection as soon as the header arrives
 */
public record FramingOptions(int prefixLength, boolean tpdu, int maxFrameLengthBytes) {
    /**
     * Large enough for any ISO 8583:1987 message a POS terminal sends (a full message with every
     * field at its maximum stays under 8 KB) and small enough that a garbage header cannot make
     * the switch buffer much.
     */
    public static final int DEFAULT_MAX_FRAME_LENGTH_BYTES = 8192;

    /** Checks the values, naming the bad one. */
    public FramingOptions {
        if (prefixLength < 0) {
            throw new IllegalArgumentException("prefixLength must be >= 0, was " + prefixLength);
        }
        if (tpdu && prefixLength < Tpdu.LENGTH) {
            throw new IllegalArgumentException("a TPDU needs prefixLength >= " + Tpdu.LENGTH + ", was " + prefixLength);
        }
        if (maxFrameLengthBytes <= prefixLength) {
            throw new IllegalArgumentException("maxFrameLengthBytes must exceed prefixLength " + prefixLength
                    + ", was " + maxFrameLengthBytes);
        }
    }

    /** No prefix, the default maximum: the plain ISO 8583 dialects. */
    public static FramingOptions plain() {
        return new FramingOptions(0, false, DEFAULT_MAX_FRAME_LENGTH_BYTES);
    }

    /** TPDU and 6-byte header, the default maximum: the {@code cup-pos} dialect. */
    public static FramingOptions cupPos() {
        return new FramingOptions(CupHeader.PREFIX_LENGTH, true, DEFAULT_MAX_FRAME_LENGTH_BYTES);
    }

    /** The same options with another maximum. */
    public FramingOptions withMaxFrameLengthBytes(int max) {
        return new FramingOptions(prefixLength, tpdu, max);
    }
}
