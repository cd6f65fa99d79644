package io.isoswitch.codec.tlv;

import java.util.Locale;

/**
 * Helpers for BER tags held as an {@code int}: the tag's bytes big-endian, so {@code 9F26} is
 * {@code 0x9F26} and {@code 5A} is {@code 0x5A}. Tags of up to 4 bytes fit; EMV uses 1 to 3.
 *
 * <pre>
 * first byte:  b8 b7 = class, b6 = constructed, b5..b1 = 11111 when more tag bytes follow
 * next bytes:  b8 = 1 when another tag byte follows
 * </pre>
 */
public final class BerTags {
    /** Longest tag the reader accepts, in bytes. */
    public static final int MAX_TAG_BYTES = 4;

    static final int MORE_TAG_BYTES_MASK = 0x1F;
    static final int CONTINUATION_BIT = 0x80;
    static final int CONSTRUCTED_BIT = 0x20;

    private BerTags() {
    }

    /** How many bytes the tag occupies on the wire. */
    public static int byteCount(int tag) {
        if ((tag & 0xFF00_0000) != 0) {
            return 4;
        }
        if ((tag & 0xFF_0000) != 0) {
            return 3;
        }
        return (tag & 0xFF00) != 0 ? 2 : 1;
    }

    /** The first byte of the tag, which carries the class and the constructed bit. */
    public static int firstByte(int tag) {
        return (tag >>> ((byteCount(tag) - 1) * 8)) & 0xFF;
    }

    /** Whether the tag announces a constructed element (its value is more TLVs). */
    public static boolean isConstructed(int tag) {
        return (firstByte(tag) & CONSTRUCTED_BIT) != 0;
    }

    /**
     * Whether the int is a tag the reader would read back the same way: a one-byte tag does not
     * announce more bytes, a multi-byte tag does, and only its last byte lacks the continuation bit.
     */
    public static boolean isWellFormed(int tag) {
        int count = byteCount(tag);
        int first = firstByte(tag);
        boolean announcesMore = (first & MORE_TAG_BYTES_MASK) == MORE_TAG_BYTES_MASK;
        if (count == 1) {
            return !announcesMore;
        }
        if (!announcesMore) {
            return false;
        }
        for (int i = count - 2; i >= 0; i--) {
            int b = (tag >>> (i * 8)) & 0xFF;
            boolean last = i == 0;
            if (((b & CONTINUATION_BIT) != 0) == last) {
                return false;
            }
        }
        return true;
    }

    /** Uppercase hex of the tag's bytes, e.g. {@code 9F26}. */
    public static String toHex(int tag) {
        return String.format(Locale.ROOT, "%0" + (byteCount(tag) * 2) + "X", tag);
    }

    /**
     * Parses uppercase or lowercase hex such as {@code "9F26"} into a tag.
     *
     * @throws IllegalArgumentException when the text is not 2 to 8 hex digits of a well-formed tag
     */
    public static int parseHex(String hex) {
        if (hex == null || hex.length() < 2 || hex.length() > MAX_TAG_BYTES * 2 || hex.length() % 2 != 0) {
            throw new IllegalArgumentException("tag must be 1 to 4 bytes of hex, was '" + hex + "'");
        }
        int tag;
        try {
            tag = Integer.parseUnsignedInt(hex, 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("tag must be hex, was '" + hex + "'", e);
        }
        if (byteCount(tag) * 2 != hex.length() || !isWellFormed(tag)) {
            throw new IllegalArgumentException("not a well-formed BER tag: '" + hex + "'");
        }
        return tag;
    }
}
