package io.isoswitch.codec.spec;

/**
 * How a value shorter than its fixed field is filled when encoding. Decoding never strips padding:
 * the value read is the whole field, as jPOS gives it.
 */
public enum Padding {
    /** The value must have exactly the field's length. */
    NONE(' ', false),
    /** Numbers: {@code "42"} in n6 becomes {@code "000042"}. */
    ZEROS_LEFT('0', true),
    /** Text: {@code "ABC"} in an5 becomes {@code "ABC  "}. */
    SPACES_RIGHT(' ', false),
    /** Right-aligned text. */
    SPACES_LEFT(' ', true),
    /** Left-aligned numbers. */
    ZEROS_RIGHT('0', false);

    private final char fill;
    private final boolean left;

    Padding(char fill, boolean left) {
        this.fill = fill;
        this.left = left;
    }

    /** The fill character. */
    public char fill() {
        return fill;
    }

    /** Whether the fill goes before the value. */
    public boolean left() {
        return left;
    }

    /** The default for fixed fields of a type: zeros on the left for numbers, spaces on the right for text, none for bytes and tracks. */
    public static Padding defaultFor(FieldType type) {
        return switch (type) {
            case N, XN -> ZEROS_LEFT;
            case AN, ANS -> SPACES_RIGHT;
            case B, Z -> NONE;
        };
    }
}
