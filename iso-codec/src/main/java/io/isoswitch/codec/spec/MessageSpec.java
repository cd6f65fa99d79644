package io.isoswitch.codec.spec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A dialect: how the MTI and bitmaps are written and the spec of every field. Immutable and
 * shared; decoding and encoding both read it.
 *
 * <pre>
 * [header: headerLength bytes, stripped by framing] [MTI] [bitmap 1] [bitmap 2]? [bitmap 3]? [fields in ascending order]
 * </pre>
 *
 * Bit 1 of the primary bitmap announces the secondary bitmap; when {@code maxBitmaps} is 3, bit 65
 * announces a tertiary bitmap written right after the secondary one. Otherwise field 65 is an
 * ordinary field (as in jPOS's packagers).
 */
public final class MessageSpec {
    /** Highest field number a message with three bitmaps can carry. */
    public static final int MAX_FIELD = 192;

    private final String name;
    private final ContentEncoding mtiEncoding;
    private final BitmapEncoding bitmapEncoding;
    private final int maxBitmaps;
    private final int headerLength;
    private final FieldSpec[] fields;

    /**
     * @param name the dialect's name, e.g. {@code "iso87binary"}
     * @param mtiEncoding BCD (2 bytes), ASCII or EBCDIC (4 bytes)
     * @param bitmapEncoding binary or hex bitmaps
     * @param maxBitmaps 1 to 3
     * @param headerLength bytes between the length prefix and the MTI that framing strips (TPDU and
     *     header for {@code cup-pos}); 0 when none
     * @param fieldList the fields; numbers 2 to 192, each at most once
     */
    public MessageSpec(String name, ContentEncoding mtiEncoding, BitmapEncoding bitmapEncoding,
            int maxBitmaps, int headerLength, List<FieldSpec> fieldList) {
        this.name = Objects.requireNonNull(name, "name");
        if (mtiEncoding != ContentEncoding.BCD && mtiEncoding != ContentEncoding.ASCII
                && mtiEncoding != ContentEncoding.EBCDIC) {
            throw new InvalidSpecException("mti", name + ": MTI encoding must be BCD, ASCII or EBCDIC, found " + mtiEncoding);
        }
        if (bitmapEncoding == null) {
            throw new InvalidSpecException("bitmap", name + ": bitmap encoding is missing (BINARY or HEX)");
        }
        if (maxBitmaps < 1 || maxBitmaps > 3) {
            throw new InvalidSpecException("bitmap", name + ": maxBitmaps must be 1, 2 or 3, found " + maxBitmaps);
        }
        if (headerLength < 0) {
            throw new InvalidSpecException("header", name + ": headerLength must not be negative, found " + headerLength);
        }
        this.mtiEncoding = mtiEncoding;
        this.bitmapEncoding = bitmapEncoding;
        this.maxBitmaps = maxBitmaps;
        this.headerLength = headerLength;
        this.fields = new FieldSpec[MAX_FIELD + 1];
        for (FieldSpec field : fieldList) {
            int number = field.number();
            if (number < 2 || number > 64 * maxBitmaps) {
                throw new InvalidSpecException(field.path(), name + ": field number must be 2 to " + 64 * maxBitmaps
                        + " with " + maxBitmaps + " bitmap(s)");
            }
            if (maxBitmaps == 3 && number == 65) {
                throw new InvalidSpecException(field.path(), name + ": bit 65 announces the tertiary bitmap, it cannot be a field");
            }
            if (fields[number] != null) {
                throw new InvalidSpecException(field.path(), name + ": field declared twice");
            }
            fields[number] = field;
        }
    }

    /** The dialect's name. */
    public String name() {
        return name;
    }

    /** How the MTI is written (4 digits). */
    public ContentEncoding mtiEncoding() {
        return mtiEncoding;
    }

    /** Wire bytes of the MTI. */
    public int mtiLength() {
        return mtiEncoding == ContentEncoding.BCD ? 2 : 4;
    }

    /** How bitmaps are written. */
    public BitmapEncoding bitmapEncoding() {
        return bitmapEncoding;
    }

    /** 1 (primary only), 2 (secondary) or 3 (tertiary). */
    public int maxBitmaps() {
        return maxBitmaps;
    }

    /** Bytes before the MTI that framing strips (TPDU and header for {@code cup-pos}). */
    public int headerLength() {
        return headerLength;
    }

    /** The spec of field {@code number}, or null when the dialect does not define it. */
    public FieldSpec field(int number) {
        return number >= 0 && number <= MAX_FIELD ? fields[number] : null;
    }

    /** All defined fields in ascending order. */
    public List<FieldSpec> fields() {
        List<FieldSpec> list = new ArrayList<>();
        for (FieldSpec field : fields) {
            if (field != null) {
                list.add(field);
            }
        }
        return Collections.unmodifiableList(list);
    }

    @Override
    public String toString() {
        return "MessageSpec[" + name + "]";
    }
}
