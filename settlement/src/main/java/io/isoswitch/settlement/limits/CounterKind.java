package io.isoswitch.settlement.limits;

/** What a counter counts for. A stand-in limit is a CARD counter of its own transaction type (e.g. STAND_IN). */
public enum CounterKind {
    /** A card, by its PAN token in hex. */
    CARD,
    /** A terminal, by its terminal id. */
    TERMINAL,
    /** A merchant, by its merchant id. */
    MERCHANT,
    /**
     * An original transaction, by its journal id: what has been refunded of a purchase, or
     * completed of a pre-authorization, with the original's amount (plus any tolerance) as the
     * amount limit, so no two nodes can refund or complete past it.
     */
    ORIGINAL
}
