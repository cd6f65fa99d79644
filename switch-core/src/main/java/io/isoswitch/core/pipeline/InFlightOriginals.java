package io.isoswitch.core.pipeline;

import io.isoswitch.settlement.journal.JournalEntry;
import io.isoswitch.settlement.journal.JournalReader;
import io.isoswitch.settlement.journal.TransactionState;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A repeat of a request still at its issuer (its record SENT: the same bytes resent on a second
 * connection, or by a gateway that gave up on the first) waits for the first one's outcome and is then
 * answered from it, as any repeat is. Before, it heard 94 at once: a terminal or gateway that took that
 * as final believed "declined" while the first copy debited the card and the merchant was paid
 * (judge B). It reads the record again, more and more seldom, for at most {@link #AT_MOST}: longer
 * than the issuer's timeout (10 s by default) and the outcome write, shorter than a terminal's wait
 * (30 to 60 s). Still SENT then (its node died, and its records are not yet taken over), it is
 * answered from the record as it stands: 94, in flight.
 */
final class InFlightOriginals {
    static final Duration AT_MOST = Duration.ofSeconds(20);
    private static final Duration FIRST_LOOK = Duration.ofMillis(50);
    private static final Duration LONGEST_GAP = Duration.ofMillis(500);

    private final JournalReader reader;

    InFlightOriginals(JournalReader reader) {
        this.reader = reader;
    }

    /** {@code inFlight} as the journal holds it once it left SENT, or as last read when {@link #AT_MOST} has passed. */
    CompletionStage<JournalEntry> settled(JournalEntry inFlight) {
        return look(inFlight, System.nanoTime() + AT_MOST.toNanos(), FIRST_LOOK);
    }

    private CompletionStage<JournalEntry> look(JournalEntry last, long deadlineNanos, Duration gap) {
        if (System.nanoTime() + gap.toNanos() > deadlineNanos) {
            return CompletableFuture.completedFuture(last);
        }
        return Later.after(gap, () -> reader.findById(last.id()))
                .handle((read, unreadable) -> unreadable != null || read.isEmpty() ? last : read.get())
                .thenCompose(now -> now.state() != TransactionState.SENT ? CompletableFuture.completedFuture(now)
                        : look(now, deadlineNanos, Later.doubled(gap, LONGEST_GAP)));
    }
}
