package io.isoswitch.sim.ledger;

import java.time.Instant;
import java.util.Objects;

/**
 * One balance change. Entries are never changed or removed: a reversal is a new entry that points
 * at the entry it reverses.
 *
 * @param id              position in the ledger, from 1, without gaps
 * @param at              when it was booked
 * @param accountId       the account it moves
 * @param kind            debit, credit, hold, release or capture
 * @param amountMinor     positive amount in minor units of {@code currency}
 * @param currency        ISO 4217 numeric currency of the account
 * @param reference       the request that caused it
 * @param reversesEntryId the entry this one reverses, or 0
 * @param holdEntryId     for a release or capture, the hold it draws on; otherwise 0
 */
public record LedgerEntry(
        long id,
        Instant at,
        String accountId,
        EntryKind kind,
        long amountMinor,
        int currency,
        RequestReference reference,
        long reversesEntryId,
        long holdEntryId) {

    public LedgerEntry {
        if (id < 1) {
            throw new IllegalArgumentException("id: expected >= 1, found " + id);
        }
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(kind, "kind");
        if (amountMinor <= 0) {
            throw new IllegalArgumentException("amountMinor: expected > 0, found " + amountMinor);
        }
        Objects.requireNonNull(reference, "reference");
    }

    /** True when this entry reverses another. */
    public boolean isReversal() {
        return reversesEntryId != 0;
    }

    /** What this entry adds to the ledger balance (negative for debits and captures). */
    public long balanceChange() {
        return kind.balanceSign() * amountMinor;
    }

    /** What this entry adds to the amount held (negative for releases). */
    public long heldChange() {
        return kind.heldSign() * amountMinor;
    }
}
