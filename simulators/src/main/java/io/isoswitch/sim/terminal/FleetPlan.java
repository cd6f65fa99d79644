package io.isoswitch.sim.terminal;

/**
 * What a fleet of terminals does: how many transactions each makes, the mix of transaction types
 * (relative weights), the amount range, and the seed that makes the run repeatable (each terminal
 * draws from its own split of it).
 *
 * @param transactionsPerTerminal transactions each terminal makes after signing on
 * @param purchaseWeight          weight of purchases
 * @param refundWeight            weight of refunds
 * @param balanceWeight           weight of balance inquiries
 * @param preAuthWeight           weight of pre-authorizations completed at once for the same amount
 * @param voidWeight              weight of a purchase voided at once (two transactions, counted as one)
 * @param minAmountMinor          smallest amount
 * @param maxAmountMinor          largest amount
 * @param seed                    seed of the choices
 */
public record FleetPlan(int transactionsPerTerminal, int purchaseWeight, int refundWeight, int balanceWeight,
        int preAuthWeight, int voidWeight, long minAmountMinor, long maxAmountMinor, long seed) {

    public FleetPlan {
        if (transactionsPerTerminal < 0) {
            throw new IllegalArgumentException("transactionsPerTerminal: expected >= 0, found " + transactionsPerTerminal);
        }
        if (purchaseWeight < 0 || refundWeight < 0 || balanceWeight < 0 || preAuthWeight < 0 || voidWeight < 0
                || purchaseWeight + refundWeight + balanceWeight + preAuthWeight + voidWeight == 0) {
            throw new IllegalArgumentException("weights: expected >= 0 with a positive sum");
        }
        if (minAmountMinor < 1 || maxAmountMinor < minAmountMinor) {
            throw new IllegalArgumentException("amounts: expected 1 <= min <= max, found " + minAmountMinor + ".."
                    + maxAmountMinor);
        }
    }

    /** A shop's day: mostly purchases, some refunds, inquiries, pre-authorizations and voids. */
    public static FleetPlan shopDay(int transactionsPerTerminal, long seed) {
        return new FleetPlan(transactionsPerTerminal, 70, 5, 10, 10, 5, 100, 20_000, seed);
    }

    int totalWeight() {
        return purchaseWeight + refundWeight + balanceWeight + preAuthWeight + voidWeight;
    }
}
