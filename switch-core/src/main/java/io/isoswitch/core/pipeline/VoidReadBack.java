package io.isoswitch.core.pipeline;

import io.isoswitch.settlement.journal.JournalReader;
import io.isoswitch.settlement.journal.JournalRequest;
import io.isoswitch.settlement.journal.TransactionState;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A void whose move failed in doubt (the database went away during its commit, or its
 * acknowledgement was late) reads its own record back, a few times over about 6 s, and its terminal
 * hears what the journal then holds: 00 once the record is there (the move committed, and the sale
 * is reversed at its issuer). Before, it heard 96 either way, and kept a sale whose reversal the
 * switch then delivered (DatabaseOutageChaosTest: an account credited what its terminal still counted
 * as sold). Not found by the last read (or unreadable), the void fails with its write's failure, 96
 * as before: most likely nothing moved, though a commit that lands later still stands.
 */
final class VoidReadBack {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(VoidReadBack.class);
    /** The first wait before the record is read back; doubled each try. */
    static final Duration FIRST_WAIT = Duration.ofMillis(200);
    /**
     * How often it reads before it gives up: about 6 s in all, after the journal's network timeout
     * (10 s by default) the write took to fail, within a terminal's wait.
     */
    static final int TRIES = 5;

    private final JournalReader reader;

    VoidReadBack(JournalReader reader) {
        this.reader = reader;
    }

    /**
     * Completes once the journal holds {@code record} as the approved void of {@code originalId};
     * fails with {@code failure} (the write's) when the last read did not find it.
     */
    CompletionStage<Void> committed(JournalRequest record, UUID originalId, Throwable failure) {
        return read(record, originalId, failure, FIRST_WAIT, 1);
    }

    /**
     * After the void was answered 96 (the last read did not find it): reads its record every
     * {@code every} until {@code until}, and runs {@code found} with its id once the journal holds
     * it approved (its commit landed after all). Stops at the first record found in another state
     * (undone or refused since), and at {@code until}. In memory: what a node that stops forgets.
     */
    void watchLate(JournalRequest record, UUID originalId, Duration every, java.time.Instant until, java.time.Clock clock,
                   java.util.function.Consumer<UUID> found) {
        if (!clock.instant().plus(every).isBefore(until)) {
            LOG.warn("terminal {} void STAN {}: answered 96 and not found in the journal; a commit that lands later stands",
                    record.terminalId(), record.stan());
            return;
        }
        Later.after(every, () -> reader.findByKey(record.key()))
                .whenComplete((read, unreadable) -> {
                    if (unreadable != null || read.isEmpty()) {
                        watchLate(record, originalId, every, until, clock, found);
                    } else if (originalId.equals(read.get().request().originalId())
                            && read.get().state() == TransactionState.APPROVED) {
                        found.accept(read.get().id());
                    }
                });
    }

    private CompletionStage<Void> read(JournalRequest record, UUID originalId, Throwable failure, Duration wait, int tried) {
        return Later.after(wait, () -> reader.findByKey(record.key()))
                .handle((found, unreadable) -> {
                    boolean committed = unreadable == null && found.isPresent()
                            && originalId.equals(found.get().request().originalId())
                            && found.get().state() == TransactionState.APPROVED;
                    if (committed || tried >= TRIES) {
                        LOG.warn("terminal {} void STAN {}: its move was in doubt, and the journal {}", record.terminalId(),
                                record.stan(), committed ? "holds it: answered 00" : "does not show it: answered 96");
                        return committed ? CompletableFuture.<Void>completedFuture(null) : CompletableFuture.<Void>failedFuture(failure);
                    }
                    return read(record, originalId, failure, wait.multipliedBy(2), tried + 1);
                })
                .thenCompose(read -> read);
    }
}
