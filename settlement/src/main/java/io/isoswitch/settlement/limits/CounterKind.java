package io.isoswitch.settlement.limits;

/** What a counter counts for. */
public enum CounterKind {
    /** A card, by its PAN token in hex. */
    CARD,
    /** A terminal, by its terminal id. */
    TERMINAL,
    /** A merchant, by its merchant id. */
    MERCHANT
}
