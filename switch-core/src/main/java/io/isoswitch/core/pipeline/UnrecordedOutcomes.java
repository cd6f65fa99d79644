package io.isoswitch.core.pipeline;

import io.isoswitch.core.txn.TransactionType;
import io.isoswitch.settlement.journal.Journal;
import io.isoswitch.settlement.journal.JournalEntry;
import io.isoswitch.settlement.journal.TransactionState;
import io.isoswitch.settlement.saf.SafRequest;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request that reached the issuer but whose outcome the journal could not record (the database
 * failed in between). The terminal is answered 96, so whatever the issuer did must be undone: the
 * record is resolved as a timeout would resolve it (money-moving requests to REVERSAL_PENDING with a
 * reversal queued, inquiries to TIMED_OUT), retried in the background until the journal takes the
 * write. If this process dies first, crash recovery at the next start does the same from SENT.
 */
final class UnrecordedOutcomes {
    private static final Logger LOG = LoggerFactory.getLogger(UnrecordedOutcomes.class);
    static final long FIRST_RETRY_MS = 500;
    static final long MAX_RETRY_MS = 30_000;
    /** The reason code of the reversal: 96 is what the terminal was told. */
    private static final String REASON = "96";

    private final Journal journal;

    UnrecordedOutcomes(Journal journal) {
        this.journal = journal;
    }

    /** Starts resolving {@code entry} (SENT, sent to {@code issuer}); returns at once. */
    void resolve(JournalEntry entry, String issuer, TransactionType type, long amountMinor, String currency) {
        boolean reverse = type.reversedOnTimeout();
        SafRequest reversal = reverse ? SafRequest.reversal(issuer, REASON, amountMinor, currency) : null;
        attempt(entry.id(), reverse ? TransactionState.REVERSAL_PENDING : TransactionState.TIMED_OUT, reversal, FIRST_RETRY_MS);
    }

    private void attempt(UUID id, TransactionState to, SafRequest reversal, long nextDelayMs) {
        CompletableFuture<?> moved;
        try {
            moved = journal.transition(id, TransactionState.SENT, to, reversal);
        } catch (RuntimeException e) {
            moved = CompletableFuture.failedFuture(e);
        }
        moved.whenComplete((result, failure) -> {
            if (failure == null) {
                LOG.info("journal record {} left unrecorded after its issuer answered is now {}", id, to);
                return;
            }
            LOG.warn("journal record {} still unresolved (retrying in {} ms): {}", id, nextDelayMs, failure.toString());
            CompletableFuture.delayedExecutor(nextDelayMs, TimeUnit.MILLISECONDS)
                    .execute(() -> attempt(id, to, reversal, Math.min(MAX_RETRY_MS, nextDelayMs * 2)));
        });
    }
}
