package io.isoswitch.settlement.journal;

/**
 * What became of a new record: written, or refused because its idempotency key is already
 * taken, in which case the caller gets the existing record to answer the repeat from.
 */
public sealed interface SentResult {
    /** The record as it now stands in the journal (the new one, or the one already there). */
    JournalEntry entry();

    /** The record was written and committed. */
    record Recorded(JournalEntry entry) implements SentResult {}

    /** A record with the same idempotency key exists (committed); nothing was written. */
    record Duplicate(JournalEntry entry) implements SentResult {}
}
