package io.isoswitch.settlement.journal;

import java.util.List;

/**
 * What crash recovery did with the records it found SENT without an outcome.
 *
 * @param reversalQueued moved to REVERSAL_PENDING with a reversal queued to their issuer
 * @param timedOut       moved to TIMED_OUT: nothing to reverse (e.g. balance inquiries)
 */
public record RecoveryReport(List<JournalEntry> reversalQueued, List<JournalEntry> timedOut) {
    public RecoveryReport {
        reversalQueued = List.copyOf(reversalQueued);
        timedOut = List.copyOf(timedOut);
    }

    public int total() {
        return reversalQueued.size() + timedOut.size();
    }
}
