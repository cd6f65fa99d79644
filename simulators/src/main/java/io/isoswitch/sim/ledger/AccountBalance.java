package io.isoswitch.sim.ledger;

/**
 * An account's balances at one moment, in minor units of {@code currency}.
 *
 * @param accountId    the account
 * @param currency     ISO 4217 numeric currency
 * @param openingMinor balance before the first entry
 * @param balanceMinor ledger balance: opening plus debits, credits and captures
 * @param heldMinor    sum of open holds
 */
public record AccountBalance(String accountId, int currency, long openingMinor, long balanceMinor, long heldMinor) {

    /** What can still be spent: the ledger balance less what is held. */
    public long availableMinor() {
        return balanceMinor - heldMinor;
    }
}
