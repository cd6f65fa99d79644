package io.isoswitch.codec;

import io.isoswitch.codec.spec.ContentEncoding;
import io.isoswitch.codec.spec.FieldSpec;
import io.isoswitch.codec.spec.FieldType;
import io.isoswitch.codec.spec.MessageSpec;
import io.isoswitch.codec.spec.PrefixEncoding;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * A dialect's fields flattened into primitive arrays indexed by field number, so that the decode
 * pass reads ints instead of walking records and switching on enums for every field. Built once
 * per spec ({@link #of}) and shared, read-only, by every view and writer of that spec: building it
 * costs about as much as decoding ten messages, and views and writers are made per message in
 * places (IsoMessage.decode and encode).
 */
final class FieldLayout {
    private static final Map<MessageSpec, FieldLayout> BY_SPEC = Collections.synchronizedMap(new WeakHashMap<>());

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
    /** {@link #fastText} slot 1: the field's length is fixed. */
    static final int FIXED = 1 << 30;
    static final int ENCODE_GENERAL = 0;
    static final int ENCODE_BCD = 1;
    static final int ENCODE_TEXT = 2;
    static final int ENCODE_LATIN1 = 3;
    static final int ENCODE_DIGITS = 4;

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
    /** The field's length prefix encoding (null for a fixed field or an undefined one). */
    final PrefixEncoding[] prefix = new PrefixEncoding[SLOTS];
    /** {@link #fastText}: not taken by the writer's in-array path. */
    static final int FAST_NONE = 0;
    /** {@link #fastText}: n as BCD. */
    static final int FAST_DIGITS = 1;
    /** {@link #fastText}: ans as ASCII (ISO-8859-1). */
    static final int FAST_LATIN1 = 2;
    /** {@link #fastText}: z as BCD (track data), by {@link #charTable}. */
    static final int FAST_TRACK = 3;
    /**
     * What the writer's in-array path (IsoMessageWriter.fastEnd) needs of field {@code f}, side by
     * side in {@code fastText[4f..4f+3]}: the kind ({@code FAST_*}), the fixed or largest length,
     * the prefix (0 for a fixed field, else its width, {@code | 0x100} when it is BCD), and the pad
     * nibble ({@code | 0x100} when it pads on the left).
     */
    final int[] fastText = new int[SLOTS * 4];
    /** Whether the field holds raw bytes (type b). */
    final boolean[] binary = new boolean[SLOTS];
    /** The pad nibble's value for BCD fields. */
    final int[] fillNibble = new int[SLOTS];

    /** Bitmap bytes of the widest message: group {@code g} holds fields {@code 8g+1 .. 8g+8}, the first in bit 7. */
    static final int GROUPS = MessageSpec.MAX_FIELD / 8;
    /**
     * Per bitmap byte: {@code groupWire[g << 8 | v]} is the wire bytes of the fields that byte value
     * {@code v} of group {@code g} names, when all of them are fixed (see {@link #groupSlow}). The
     * decode pass adds a whole byte's fields with one lookup, and a field's start is its group's
     * start plus the entry for the bits before it.
     */
    final int[] groupWire = new int[GROUPS * 256];
    /** Per group: the bits (bit 7 = the group's first field) of its variable or undefined fields, which the decode pass takes one at a time. */
    final int[] groupSlow = new int[GROUPS];
    /**
     * A BCD byte's value, 0..99, or {@link #NOT_BCD} when a nibble is above 9: large enough that a
     * one- or two-byte prefix holding such a byte states more than any field's maximum, so that one
     * comparison rejects both.
     */
    static final int[] BCD_BYTE = new int[256];
    static final int NOT_BCD = 1 << 20;

    static {
        for (int b = 0; b < 256; b++) {
            BCD_BYTE[b] = (b >>> 4) > 9 || (b & 0x0F) > 9 ? NOT_BCD : (b >>> 4) * 10 + (b & 0x0F);
        }
    }

    /**
     * How {@code IsoMessageView.getLong} reads a fixed BCD n field of 1..16 digits with one long
     * load (0 for any other field): bits 0-6 the significant bits kept from the low end of the
     * long that ends at the field's last byte (8 per byte, 4 fewer when a left pad nibble is
     * dropped), bits 8-11 a right shift (4 when a right pad nibble is dropped), bits 16-20 the
     * field's wire bytes.
     */
    final int[] fixedBcdRead = new int[SLOTS];

    /** Every field's spec by number (null where undefined). */
    final FieldSpec[] specs = new FieldSpec[SLOTS];

    /** The layout of {@code spec}, built on first use (a spec is immutable and compared by identity). */
    static FieldLayout of(MessageSpec spec) {
        return BY_SPEC.computeIfAbsent(spec, FieldLayout::new);
    }

    FieldLayout(MessageSpec spec) {
        for (int f = 0; f < SLOTS; f++) {
            FieldSpec field = spec.field(f);
            specs[f] = field;
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
            prefix[f] = field.fixed() ? null : field.prefix();
            binary[f] = field.binary();
            padsLeft[f] = field.nibblePadding().padsLeft();
            fillNibble[f] = field.nibblePadding().fill();
            plan[4 * f] = field.fixed() ? fixedWire[f] : VARIABLE;
            plan[4 * f + 1] = maxUnits[f];
            plan[4 * f + 2] = prefixWidth[f] | (bcdPrefix[f] ? PREFIX_BCD : 0);
            plan[4 * f + 3] = wireMode[f];
            if (check[f] == CHECK_BCD_DIGITS && field.fixed() && maxUnits[f] >= 1 && maxUnits[f] <= 16) {
                int bytes = (maxUnits[f] + 1) >> 1;
                boolean odd = (maxUnits[f] & 1) == 1;
                fixedBcdRead[f] = (8 * bytes - (odd && padsLeft[f] ? 4 : 0)) | (odd && !padsLeft[f] ? 4 : 0) << 8 | bytes << 16;
            }
            charTable[f] = CharTables.forField(field);
            encodeKind[f] = encodeKindOf(field, charTable[f]);
            fastText[4 * f] = switch (encodeKind[f]) {
                case ENCODE_DIGITS -> FAST_DIGITS;
                case ENCODE_LATIN1 -> FAST_LATIN1;
                case ENCODE_BCD -> FAST_TRACK;
                default -> FAST_NONE;
            };
            fastText[4 * f + 1] = maxUnits[f] | (field.fixed() ? FIXED : 0);
            fastText[4 * f + 2] = prefixWidth[f] | (bcdPrefix[f] ? 0x100 : 0);
            fastText[4 * f + 3] = fillNibble[f] | (padsLeft[f] ? 0x100 : 0);
        }
        for (int g = 0; g < GROUPS; g++) {
            for (int k = 0; k < 8; k++) {
                if (plan[4 * (8 * g + 1 + k)] < 0) {
                    groupSlow[g] |= 0x80 >>> k;
                }
            }
            for (int v = 0; v < 256; v++) {
                int sum = 0;
                for (int k = 0; k < 8; k++) {
                    int wire = plan[4 * (8 * g + 1 + k)];
                    if ((v & (0x80 >>> k)) != 0 && wire >= 0) {
                        sum += wire;
                    }
                }
                groupWire[g << 8 | v] = sum;
            }
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
