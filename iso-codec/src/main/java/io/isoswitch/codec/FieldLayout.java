package io.isoswitch.codec;

import io.isoswitch.codec.spec.ContentEncoding;
import io.isoswitch.codec.spec.FieldSpec;
import io.isoswitch.codec.spec.FieldType;
import io.isoswitch.codec.spec.MessageSpec;
import io.isoswitch.codec.spec.PrefixEncoding;
import java.util.Map;
import java.util.WeakHashMap;

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
    /** {@link #plan} slot 0 of a field the dialect does not define. */
    static final int UNDEFINED = -2;
    /** {@link #plan} slot 0 of a variable field. */
    static final int VARIABLE = -1;
    /** {@link #plan} prefix code: a BCD prefix, read straight from a heap array. */
    static final int PREFIX_BCD = 1 << 8;
    static final int ENCODE_GENERAL = 0;
    static final int ENCODE_BCD = 1;
    static final int ENCODE_TEXT = 2;
    static final int ENCODE_LATIN1 = 3;
    static final int ENCODE_DIGITS = 4;

    private static final int SLOTS = MessageSpec.MAX_FIELD + 1;
    /**
     * One layout per spec: it never changes once built, and building it walks all 129 fields
     * (JFR showed it at about 5% of the switch's samples when writers were made per message).
     * Weak keys, so a spec loaded in a test does not stay for the JVM's life.
     */
    private static final Map<MessageSpec, FieldLayout> LAYOUTS = new WeakHashMap<>();

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
    /**
     * What the decode pass needs of field {@code f}, side by side in {@code plan[4f..4f+3]} so one
     * field costs one cache line: fixed wire bytes (or {@link #VARIABLE} or {@link #UNDEFINED}),
     * the fixed or largest length in units, the prefix width ({@code | PREFIX_BCD} for BCD), the
     * {@code WIRE_*} mode.
     */
    final int[] plan = new int[SLOTS * 4];
    /** Which table-driven encoder writes the field (one of {@code ENCODE_*}). */
    final int[] encodeKind = new int[SLOTS];
    /** The field's {@link CharTables} table for {@code ENCODE_BCD} and {@code ENCODE_TEXT}. */
    final int[][] charTable = new int[SLOTS][];
    /** The pad nibble's value for BCD fields. */
    final int[] fillNibble = new int[SLOTS];

    /** The shared, read-only layout of {@code spec}. */
    static FieldLayout of(MessageSpec spec) {
        synchronized (LAYOUTS) {
            return LAYOUTS.computeIfAbsent(spec, FieldLayout::new);
        }
    }

    private FieldLayout(MessageSpec spec) {
        for (int f = 0; f < SLOTS; f++) {
            FieldSpec field = spec.field(f);
            if (field == null) {
                plan[4 * f] = UNDEFINED;
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
            fillNibble[f] = field.nibblePadding().fill();
            plan[4 * f] = field.fixed() ? fixedWire[f] : VARIABLE;
            plan[4 * f + 1] = maxUnits[f];
            plan[4 * f + 2] = prefixWidth[f] | (bcdPrefix[f] ? PREFIX_BCD : 0);
            plan[4 * f + 3] = wireMode[f];
            charTable[f] = CharTables.forField(field);
            encodeKind[f] = encodeKindOf(field, charTable[f]);
        }
    }

    private static int encodeKindOf(FieldSpec field, int[] table) {
        if (table == null) {
            return ENCODE_GENERAL;
        }
        if (field.encoding() == ContentEncoding.BCD) {
            return field.type() == FieldType.N ? ENCODE_DIGITS : ENCODE_BCD;
        }
        return field.type() == FieldType.ANS && field.encoding() == ContentEncoding.ASCII ? ENCODE_LATIN1 : ENCODE_TEXT;
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
