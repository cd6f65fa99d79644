package io.isoswitch.sim.ledger;

/**
 * What an entry does to an account. The ledger balance moves with debits, credits and captures;
 * holds and releases move only the amount held, which the available balance subtracts.
 */
public enum EntryKind {
    /** Money leaves the account (purchase, cash, reversal of a refund). */
    DEBIT(-1, 0),
    /** Money enters the account (refund, reversal of a debit or capture). */
    CREDIT(+1, 0),
    /** A pre-authorization reserves money without moving it. */
    HOLD(0, +1),
    /** A hold ends, wholly or for what was left of it (reversal, or at capture). */
    RELEASE(0, -1),
    /** The completion of a pre-authorization: money leaves the account. */
    CAPTURE(-1, 0);

    private final int balanceSign;
    private final int heldSign;

    EntryKind(int balanceSign, int heldSign) {
        this.balanceSign = balanceSign;
        this.heldSign = heldSign;
    }

    /** -1, 0 or +1: how the entry's amount moves the ledger balance. */
    public int balanceSign() {
        return balanceSign;
    }

    /** -1, 0 or +1: how the entry's amount moves the amount held. */
    public int heldSign() {
        return heldSign;
    }
}
