package io.isoswitch.codec;

/**
 * The codec's one unchecked exception: a frame that does not match its spec, a value that does not
 * fit its field, or a spec that cannot be built. The message says where (field and subfield path,
 * byte offset), what was expected and what was found, and never carries field content, so it is
 * safe to log even when the field holds card data.
 *
 * <p>When a frame fails to decode after its MTI and field 11 (STAN) were read, both are kept here
 * so that the switch can still answer with response code 30 (format error); see
 * {@link DecodeFailure}.
 */
public class IsoCodecException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String fieldPath;
    private final int offset;
    private final String problem;
    private final transient String mti;
    private final transient String stan;

    /**
     * @param fieldPath the field (and subfield path, e.g. {@code "60.3"}), or {@code "mti"},
     *     {@code "bitmap"}, {@code "frame"}; never null
     * @param offset byte offset in the frame where the problem was found, or -1 when encoding
     * @param problem what was expected and what was found, without field content
     */
    public IsoCodecException(String fieldPath, int offset, String problem) {
        this(fieldPath, offset, problem, null, null);
    }

    IsoCodecException(String fieldPath, int offset, String problem, String mti, String stan) {
        super(format(fieldPath, offset, problem, mti, stan));
        this.fieldPath = fieldPath;
        this.offset = offset;
        this.problem = problem;
        this.mti = mti;
        this.stan = stan;
    }

    private static String format(String fieldPath, int offset, String problem, String mti, String stan) {
        StringBuilder text = new StringBuilder("field ").append(fieldPath);
        if (offset >= 0) {
            text.append(" at offset ").append(offset);
        }
        text.append(": ").append(problem);
        if (mti != null) {
            text.append(" (mti ").append(mti);
            if (stan != null) {
                text.append(", stan ").append(stan);
            }
            text.append(')');
        }
        return text.toString();
    }

    /** Returns a copy of this exception that also carries the MTI and STAN read before it. */
    IsoCodecException withContext(String readMti, String readStan) {
        IsoCodecException copy = new IsoCodecException(fieldPath, offset, problem, readMti, readStan);
        copy.setStackTrace(getStackTrace());
        return copy;
    }

    /** What was expected and what was found, without the location. */
    public String problem() {
        return problem;
    }

    /** The field path: a number such as {@code "35"}, a subfield path such as {@code "60.3"}, or {@code "mti"}, {@code "bitmap"}, {@code "frame"}. */
    public String fieldPath() {
        return fieldPath;
    }

    /** Byte offset in the frame where decoding failed, or -1 for encoding and spec errors. */
    public int offset() {
        return offset;
    }

    /** The MTI, when it was readable before the failure; otherwise null. */
    public String mti() {
        return mti;
    }

    /** Field 11 (STAN), when it was readable before the failure; otherwise null. */
    public String stan() {
        return stan;
    }
}
