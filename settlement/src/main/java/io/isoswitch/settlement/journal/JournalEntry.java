package io.isoswitch.settlement.journal;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One journal row as stored: the request, where it stands, and its answer once it has one.
 *
 * @param outcome     the answer, or {@code null} while SENT (and for TIMED_OUT)
 * @param lateOutcome an issuer answer that arrived after the record had been resolved otherwise
 *                    (journaled, never sent to the terminal), or {@code null}
 */
public record JournalEntry(
        UUID id,
        JournalRequest request,
        TransactionState state,
        Outcome outcome,
        LateAnswer lateOutcome,
        Instant createdAt,
        Instant updatedAt) {

    public JournalEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    public Optional<Outcome> outcomeIfAny() {
        return Optional.ofNullable(outcome);
    }

    public IdempotencyKey key() {
        return request.key();
    }

    /** An answer from the issuer that came after the switch had stopped waiting. */
    public record LateAnswer(String responseCode, String authCode, Instant receivedAt) {}
}
