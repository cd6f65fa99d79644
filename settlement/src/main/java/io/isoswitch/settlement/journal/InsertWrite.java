package io.isoswitch.settlement.journal;

import io.isoswitch.settlement.saf.SafRequest;

/** A new journal row (SENT, or already resolved) and the store-and-forward entry to queue with it, if any. */
final class InsertWrite extends PendingWrite<SentResult> {
    final JournalEntry entry;
    final SafRequest forward;

    InsertWrite(JournalEntry entry, SafRequest forward) {
        this.entry = entry;
        this.forward = forward;
    }

    @Override
    String describe() {
        IdempotencyKey key = entry.key();
        return "journal insert (terminal " + key.terminalId() + ", stan " + key.stan() + ", date "
                + key.transactionDate() + ", class " + key.mtiClass() + ")";
    }
}
