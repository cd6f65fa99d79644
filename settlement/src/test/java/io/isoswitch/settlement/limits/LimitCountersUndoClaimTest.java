package io.isoswitch.settlement.limits;

import static io.isoswitch.settlement.Requests.purchase;
import static io.isoswitch.settlement.Requests.stan;
import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.settlement.Backend;
import io.isoswitch.settlement.BothDatabases;
import io.isoswitch.settlement.Requests;
import io.isoswitch.settlement.journal.CommitListener;
import io.isoswitch.settlement.journal.Journal;
import io.isoswitch.settlement.journal.Outcome;
import io.isoswitch.settlement.journal.TransactionState;
import io.isoswitch.settlement.saf.SafRequest;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Undo claims (a void's or a terminal reversal's claim on all of its original's refund counter)
 * are held by a node; what a dead node held on originals that still stand is given back, and
 * nothing else is.
 */
class LimitCountersUndoClaimTest extends BothDatabases {

    private static CounterIncrement claimOf(UUID original, long amount) {
        return new CounterIncrement(new CounterKey(CounterKind.ORIGINAL, original.toString(), Requests.BUSINESS_DATE, "REFUND", "840"),
                amount, new CounterLimit(Long.MAX_VALUE, amount), LimitCounters.UNDO_PREFIX + original);
    }

    private static CounterIncrement refundOf(UUID original, long amount) {
        return new CounterIncrement(new CounterKey(CounterKind.ORIGINAL, original.toString(), Requests.BUSINESS_DATE, "REFUND", "840"),
                amount, new CounterLimit(Long.MAX_VALUE, amount), "T|000999|" + UUID.randomUUID().toString().substring(0, 8));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aDeadNodesClaimsOnStandingOriginalsAreGivenBackAndNoOtherClaim(Backend backend) {
        LimitCounters counters = counters(backend);
        String issuer = "undo-" + backend.name().toLowerCase(java.util.Locale.ROOT);
        String terminal = Requests.newTerminalId();
        UUID standing;
        UUID moved;
        UUID otherNodes;
        try (Journal journal = journal(backend, CommitListener.NONE)) {
            standing = approved(journal, purchase("dead", terminal, stan(1), 1_000, issuer));
            moved = approved(journal, purchase("dead", terminal, stan(2), 2_000, issuer));
            otherNodes = approved(journal, purchase("dead", terminal, stan(3), 3_000, issuer));
            assertThat(counters.claimUndo(claimOf(standing, 1_000), "dead").join()).isEqualTo(new LimitDecision.Accepted(java.util.List.of()));
            assertThat(counters.claimUndo(claimOf(moved, 2_000), "dead").join()).isInstanceOf(LimitDecision.Accepted.class);
            // the void of this one died on "dead", and its resend on "alive" holds the claim now
            counters.claimUndo(claimOf(otherNodes, 3_000), "dead").join();
            assertThat(counters.claimUndo(claimOf(otherNodes, 3_000), "alive").join())
                    .isEqualTo(new LimitDecision.Accepted(java.util.List.of(claimOf(otherNodes, 3_000))));
            journal.transition(moved, TransactionState.APPROVED, TransactionState.REVERSAL_PENDING,
                    SafRequest.reversal(issuer, "17", 2_000, "840")).join();
        }

        assertThat(counters.releaseUndoClaimsOnStandingOriginals("dead").join()).isEqualTo(1);

        assertThat(counters.tryIncrement(java.util.List.of(refundOf(standing, 1_000))).join())
                .as("a refund of the original the dead void never moved").isInstanceOf(LimitDecision.Accepted.class);
        assertThat(counters.tryIncrement(java.util.List.of(refundOf(moved, 2_000))).join())
                .as("a refund of the voided original").isInstanceOf(LimitDecision.Refused.class);
        assertThat(counters.tryIncrement(java.util.List.of(refundOf(otherNodes, 3_000))).join())
                .as("a refund of the original whose claim a live node holds").isInstanceOf(LimitDecision.Refused.class);
        assertThat(counters.releaseUndoClaimsOnStandingOriginals("dead").join()).isZero();
    }

    private static UUID approved(Journal journal, io.isoswitch.settlement.journal.JournalRequest request) {
        UUID id = journal.recordSent(request).join().entry().id();
        journal.recordOutcome(id, Outcome.approved("000001")).join();
        return id;
    }
}
