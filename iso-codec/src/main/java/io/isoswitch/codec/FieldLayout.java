package io.isoswitch.codec;

import io.isoswitch.codec.spec.ContentEncoding;
import io.isoswitch.codec.spec.FieldSpec;
import io.isoswitch.codec.spec.FieldType;
import io.isoswitch.codec.spec.MessageSpec;
import io.isoswitch.codec.spec.PrefixEncoding;

/**
 * A dialect's fields flattened into primitive arrays indexed by field number, so that the decode
 * pass reads ints instead of walking records and switching on enums for every field.
 */
final class FieldLayout {
    static final int WIRE_UNITS = 0;
    static final int WIRE_BCD = 1;
    static final int WIRE_HEX = 2;
    static final int WIRE_BCD_AMOUNT = 3;
    static final int CHECK_NONE = 0;
    static final int CHECK_BCD_DIGITS = 1;
    static final int CHECK_ASCII_DIGITS = 2;
    static final int CHECK_OTHER = 3;

    private static final int SLOTS = MessageSpec.MAX_FIELD + 1;

    /** Wire bytes of a fixed field, -1 for a variable one. */
    final int[] fixedWire = new int[SLOTS];
    /** How stated units become wire bytes (one of {@code WIRE_*}). */
    final int[] wireMode = new int[SLOTS];
    /** Which content check {@code validate()} runs (one of {@code CHECK_*}). */
    final int[] check = new int[SLOTS];
    final int[] prefixDigits = new int[SLOTS];
    final int[] prefixWidth = new int[SLOTS];
    final int[] maxUnits = new int[SLOTS];
    final boolean[] bcdPrefix = new boolean[SLOTS];
    final boolean[] padsLeft = new boolean[SLOTS];

    FieldLayout(MessageSpec spec) {
        for (int f = 0; f < SLOTS; f++) {
            FieldSpec field = spec.field(f);
            if (field == null) {
                continue;
            }
            fixedWire[f] = field.fixed() ? field.wireLength(field.maxLength()) : -1;
            wireMode[f] = switch (field.encoding()) {
                case BCD -> field.type() == FieldType.XN ? WIRE_BCD_AMOUNT : WIRE_BCD;
                case HEX -> WIRE_HEX;
                default -> WIRE_UNITS;
            };
            check[f] = checkOf(field);
            prefixDigits[f] = field.lengthKind().digits();
            prefixWidth[f] = field.prefixWidth();
            maxUnits[f] = field.maxLength();
            bcdPrefix[f] = field.prefix() == PrefixEncoding.BCD;
            padsLeft[f] = field.nibblePadding().padsLeft();
        }
    }

    private static int checkOf(FieldSpec field) {
        if (field.type() == FieldType.N) {
            return switch (field.encoding()) {
                case BCD -> CHECK_BCD_DIGITS;
                case ASCII -> CHECK_ASCII_DIGITS;
                default -> CHECK_OTHER;
            };
        }
        return field.type() == FieldType.XN || field.encoding() == ContentEncoding.HEX ? CHECK_OTHER : CHECK_NONE;
    }
}
