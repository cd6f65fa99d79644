package io.isoswitch.settlement.fees;

/**
 * What a merchant gets back of the original sale's fee when the sale is refunded or voided. Plans
 * differ in the market; each plan states its own so that nothing is hidden.
 */
public enum RefundFeePolicy {
    /** The fee is returned in proportion to the amount refunded (the fixed part only on a full refund). */
    RETURN_PROPORTIONAL,
    /** The percentage part is returned in proportion; the fixed part is kept. */
    RETURN_PERCENTAGE_ONLY,
    /** Nothing is returned. */
    KEEP
}
