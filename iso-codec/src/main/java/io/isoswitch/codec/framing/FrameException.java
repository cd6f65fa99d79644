package io.isoswitch.codec.framing;

/**
 * A length header that cannot be right (not digits, beyond the maximum, shorter than the prefix)
 * or an outbound frame that cannot be framed. Says where (the stream offset of the header, when
 * decoding), what was expected and what was found; never message bytes.
 */
public final class FrameException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long offset;

    /**
     * @param offset   stream offset of the length header (bytes received before it), or -1 when
     *                 encoding
     * @param expected what a good header or frame has
     * @param found    what was there instead (a length or a byte's hex, never message data)
     */
    public FrameException(long offset, String expected, String found) {
        super((offset >= 0 ? "frame length header at stream offset " + offset : "outbound frame")
                + ": expected " + expected + ", found " + found);
        this.offset = offset;
    }

    /** Stream offset of the bad length header, or -1 for an outbound frame. */
    public long offset() {
        return offset;
    }
}
