package io.isoswitch.codec;

import io.isoswitch.codec.spec.Cp1047;
import io.isoswitch.codec.spec.FieldSpec;
import io.isoswitch.codec.spec.FieldType;

/**
 * Lookup tables that check and convert a character in one load, so the encoder's loops have no
 * branch per character: indexed by the character's low byte, an entry is the nibble a character
 * packs to (BCD fields) or the byte it is written as (text fields), and -1 where the field's type
 * or charset rejects it. {@link #entry(int[], char)} folds in the rejection of characters above
 * U+00FF, which no table can index. The tables are built once and shared by every dialect.
 */
final class CharTables {
    private static final int SIZE = 256;
    private static final int[] DIGIT_NIBBLES = bcd(FieldType.N);
    private static final int[] TRACK_NIBBLES = bcd(FieldType.Z);
    private static final int[][] ASCII = new int[FieldType.values().length][];
    private static final int[][] EBCDIC = new int[FieldType.values().length][];

    static {
        for (FieldType type : new FieldType[] {FieldType.N, FieldType.AN, FieldType.ANS, FieldType.Z}) {
            ASCII[type.ordinal()] = text(type, false);
            EBCDIC[type.ordinal()] = text(type, true);
        }
    }

    private CharTables() {
    }

    /**
     * The table for {@code field}, or null when its values are not one character per table entry
     * (signed amounts, whose first character differs, and binary fields given as hex).
     */
    static int[] forField(FieldSpec field) {
        return switch (field.encoding()) {
            case BCD -> field.type() == FieldType.N ? DIGIT_NIBBLES : field.type() == FieldType.Z ? TRACK_NIBBLES : null;
            case ASCII -> ASCII[field.type().ordinal()];
            case EBCDIC -> EBCDIC[field.type().ordinal()];
            case BINARY, HEX -> null;
        };
    }

    /** The table's entry for {@code c}: negative when the table rejects it or it lies above U+00FF. */
    static int entry(int[] table, char c) {
        return table[c & 0xFF] | ((0xFF - c) >> 31);
    }

    private static int[] bcd(FieldType type) {
        int[] table = new int[SIZE];
        for (int c = 0; c < SIZE; c++) {
            // '=' separates track data and packs as nibble D, as jPOS writes it
            table[c] = type.accepts((char) c, 0) ? (c == '=' ? 0x0D : Character.digit(c, 16)) : -1;
        }
        return table;
    }

    private static int[] text(FieldType type, boolean ebcdic) {
        int[] table = new int[SIZE];
        for (int c = 0; c < SIZE; c++) {
            boolean accepted = type.accepts((char) c, 0) && (!ebcdic || Cp1047.encodable((char) c));
            table[c] = !accepted ? -1 : ebcdic ? Cp1047.toByte((char) c) & 0xFF : c;
        }
        return table;
    }
}
