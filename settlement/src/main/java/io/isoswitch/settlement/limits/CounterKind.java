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
    ORIGINAL,
    /**
     * An issuer, by its id: what stand-in approved on its behalf in a business day, all cards
     * together. Counted up only (a reversal does not give it back), so that cards the switch cannot
     * check (any number that passes Luhn) cannot take more than the issuer's whole allowance.
     */
    ISSUER
}
