package io.isoswitch.codec.spec;

/**
 * How a field's content is written on the wire.
 *
 * <ul>
 *   <li>{@link #ASCII}: one byte per character (ISO-8859-1, so any byte round-trips).
 *   <li>{@link #EBCDIC}: one byte per character, code page 1047.
 *   <li>{@link #BCD}: two digits per byte; an odd count gets a pad nibble ({@link NibblePadding}).
 *       A signed amount ({@link FieldType#XN}) keeps its sign as one ASCII byte before the BCD.
 *   <li>{@link #BINARY}: raw bytes.
 *   <li>{@link #HEX}: raw bytes written as two uppercase ASCII hex characters each (jPOS IFA_BINARY).
 * </ul>
 */
public enum ContentEncoding {
    ASCII, EBCDIC, BCD, BINARY, HEX;

    /** Wire bytes of {@code units} units (digits, characters or bytes) of a field of {@code type}. */
    public int wireLength(FieldType type, int units) {
        return switch (this) {
            case ASCII, EBCDIC, BINARY -> units;
            case HEX -> units * 2;
            case BCD -> type == FieldType.XN ? 1 + units / 2 : (units + 1) / 2;
        };
    }

    /** Whether a field of {@code type} can be written in this encoding. */
    public boolean canCarry(FieldType type) {
        return switch (this) {
            case ASCII, EBCDIC -> type != FieldType.B;
            case BCD -> type == FieldType.N || type == FieldType.Z || type == FieldType.XN;
            case BINARY, HEX -> type == FieldType.B;
        };
    }
}
