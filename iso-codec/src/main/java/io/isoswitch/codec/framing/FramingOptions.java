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
 * @param frameTimeoutMs     how long a frame begun (some of its header or body read) may take to
 *                           arrive whole; past it the connection is closed. 0: no limit (the
 *                           connection's idle timeout alone bounds it)
 */
public record FramingOptions(int prefixLength, boolean tpdu, int maxFrameLengthBytes, long frameTimeoutMs) {
    /**
     * Large enough for any ISO 8583:1987 message a POS terminal sends (a full message with every
     * field at its maximum stays under 8 KB) and small enough that a garbage header cannot make
     * the switch buffer much.
     */
    public static final int DEFAULT_MAX_FRAME_LENGTH_BYTES = 8192;

    /** Options without a frame timeout. */
    public FramingOptions(int prefixLength, boolean tpdu, int maxFrameLengthBytes) {
        this(prefixLength, tpdu, maxFrameLengthBytes, 0);
    }

    /** Checks the values, naming the bad one. */
    public FramingOptions {
        if (frameTimeoutMs < 0) {
            throw new IllegalArgumentException("frameTimeoutMs must be >= 0, was " + frameTimeoutMs);
        }
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
        return new FramingOptions(prefixLength, tpdu, max, frameTimeoutMs);
    }

    /** The same options with another frame timeout (0: none). */
    public FramingOptions withFrameTimeoutMs(long timeoutMs) {
        return new FramingOptions(prefixLength, tpdu, maxFrameLengthBytes, timeoutMs);
    }
}
