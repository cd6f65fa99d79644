package io.isoswitch.settlement.saf;

import io.isoswitch.settlement.journal.JournalEntry;
import java.time.Instant;
import java.util.Objects;

/**
 * A queued message as claimed by a consumer: the request, how often it was tried, and the
 * journal record it concerns, from which the consumer rebuilds the ISO 8583 message.
 *
 * @param id       queue order within an issuer (smaller first)
 * @param attempts  attempts so far, this claim included; more than one means send it as a repeat
 * @param claimedBy the consumer holding (or last holding) the claim, or {@code null}
 */
public record SafEntry(long id, SafRequest request, int attempts, String claimedBy, Instant nextAttemptAt,
                       String lastError, Instant createdAt, JournalEntry original) {
    public SafEntry {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(original, "original");
    }

    /** True when this delivery must be flagged as a repeat (0401, 0421, 0221...). */
    public boolean isRepeat() {
        return attempts > 1;
    }
}
