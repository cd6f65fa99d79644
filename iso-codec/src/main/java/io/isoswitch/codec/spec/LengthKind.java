package io.isoswitch.codec.spec;

/**
 * How a field's length is known: {@link #FIXED} from the spec, otherwise from a length prefix of
 * one to four decimal digits written before the content.
 */
public enum LengthKind {
    FIXED(0), L(1), LL(2), LLL(3), LLLL(4);

    private final int digits;

    LengthKind(int digits) {
        this.digits = digits;
    }

    /** Number of decimal digits in the length prefix; 0 for {@link #FIXED}. */
    public int digits() {
        return digits;
    }

    /** The largest length a prefix of this kind can state (9, 99, 999 or 9999). */
    public int maxLength() {
        return this == FIXED ? Integer.MAX_VALUE : (int) Math.pow(10, digits) - 1;
    }
}
