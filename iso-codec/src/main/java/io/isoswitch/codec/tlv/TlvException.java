package io.isoswitch.codec.tlv;

/**
 * Malformed BER-TLV. The message names where (the tag path such as {@code 55 -> 70 -> 9F26} and
 * the offset from the start of the TLV data), what was expected and what was found; it never
 * carries value bytes, because field 55 holds card data.
 */
public final class TlvException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String tagPath;
    private final int offset;

    /**
     * @param tagPath  where the problem is, e.g. {@code 55 -> 9F26}
     * @param offset   offset from the start of the TLV data (the value of field 55)
     * @param expected what a well-formed element has there
     * @param found    what is there instead (a length or a count, never data)
     */
    public TlvException(String tagPath, int offset, String expected, String found) {
        super("BER-TLV " + tagPath + " at offset " + offset + ": expected " + expected + ", found " + found);
        this.tagPath = tagPath;
        this.offset = offset;
    }

    /** The tag path, e.g. {@code 55 -> 9F26}. */
    public String tagPath() {
        return tagPath;
    }

    /** Offset from the start of the TLV data. */
    public int offset() {
        return offset;
    }
}
