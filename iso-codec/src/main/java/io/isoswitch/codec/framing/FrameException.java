package io.isoswitch.codec.framing;

/**
 * A length header that cannot be right (not digits, beyond the maximum, shorter than the prefix)
 * or an outbound frame that cannot be framed. Says where (the stream offset of the header, when
 * decoding), what was expected and what was found; never message bytes.
 */
public final class FrameException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long offset;
    private final boolean incomplete;

    /**
     * @param offset   stream offset of the length header (bytes received before it), or -1 when
     *                 encoding
     * @param expected what a good header or frame has
     * @param found    what was there instead (a length or a byte's hex, never message data)
     */
    public FrameException(long offset, String expected, String found) {
        this(offset, expected, found, false);
    }

    private FrameException(long offset, String expected, String found, boolean incomplete) {
        super((offset >= 0 ? "frame length header at stream offset " + offset : "outbound frame")
                + ": expected " + expected + ", found " + found);
        this.offset = offset;
        this.incomplete = incomplete;
    }

    /**
     * A frame begun at stream offset {@code offset} that did not arrive whole within {@code timeoutMs}:
     * {@code received} of its {@code expected} bytes (header included; -1 while the header itself is
     * incomplete) had come.
     */
    public static FrameException incomplete(long offset, long timeoutMs, int received, int expected) {
        String whole = expected < 0 ? "a whole length header" : "the whole frame of " + expected + " bytes";
        return new FrameException(offset, whole + " within " + timeoutMs + " ms", received + " bytes", true);
    }

    /** True for a frame that began but was not completed in time (the rest are bad headers). */
    public boolean incomplete() {
        return incomplete;
    }

    /** Stream offset of the bad length header, or -1 for an outbound frame. */
    public long offset() {
        return offset;
    }
}
