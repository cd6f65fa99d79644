package io.isoswitch.codec.spec;

/**
 * What characters a field may hold, as ISO 8583 names its types. The type says what a value may
 * contain; {@link ContentEncoding} says how it is written on the wire.
 */
public enum FieldType {
    /** Digits only. */
    N("n"),
    /** Letters, digits and space (space because fixed fields are space padded). */
    AN("an"),
    /** Any character of the field's 8-bit charset. */
    ANS("ans"),
    /** Raw bytes. */
    B("b"),
    /** Track data: digits, {@code '='} for the field separator (nibble D in BCD) and A-F. */
    Z("z"),
    /** A signed amount: {@code 'C'} (credit) or {@code 'D'} (debit) followed by digits. */
    XN("x+n");

    private final String code;

    FieldType(String code) {
        this.code = code;
    }

    /** The ISO 8583 code of the type, e.g. {@code "ans"}. */
    public String code() {
        return code;
    }

    /** Parses a spec file's type code ({@code n}, {@code an}, {@code ans}, {@code b}, {@code z}, {@code x+n} or {@code xn}). */
    public static FieldType ofCode(String code) {
        for (FieldType type : values()) {
            if (type.code.equalsIgnoreCase(code) || type.name().equalsIgnoreCase(code)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown field type '" + code + "' (expected n, an, ans, b, z or x+n)");
    }

    /** Whether the character {@code c} may appear at position {@code index} of a value of this type. */
    public boolean accepts(char c, int index) {
        return switch (this) {
            case N -> c >= '0' && c <= '9';
            case AN -> (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == ' ';
            case ANS -> c <= 0xFF;
            case B -> false;
            case Z -> (c >= '0' && c <= '9') || c == '=' || (c >= 'A' && c <= 'F');
            case XN -> index == 0 ? (c == 'C' || c == 'D') : (c >= '0' && c <= '9');
        };
    }

    /** A short description of the accepted characters, for error messages. */
    public String describeCharset() {
        return switch (this) {
            case N -> "digits";
            case AN -> "letters, digits or space";
            case ANS -> "8-bit characters";
            case B -> "bytes";
            case Z -> "digits, '=' or A-F";
            case XN -> "'C' or 'D' then digits";
        };
    }
}
