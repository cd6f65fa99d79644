package io.isoswitch.codec.spec;

/**
 * How a composite field's content is divided. Positional subfields are fixed-width slices of the
 * field's text (CUP field 60: 60.1 n2, 60.2 n6, 60.3 n3, ...); trailing subfields may be absent.
 * BER-TLV content (EMV field 55) is declared here but parsed by {@code io.isoswitch.codec.tlv}.
 */
public enum SubfieldKind {
    NONE, POSITIONAL, TLV
}
