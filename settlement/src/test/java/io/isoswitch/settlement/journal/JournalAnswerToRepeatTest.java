package io.isoswitch.settlement.journal;

import static io.isoswitch.settlement.Requests.purchase;
import static io.isoswitch.settlement.Requests.stan;
import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.settlement.Backend;
import io.isoswitch.settlement.BothDatabases;
import io.isoswitch.settlement.Requests;
import io.isoswitch.settlement.saf.SafRequest;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A repeat told an approval stands and the reversal owed for that approval (its terminal heard 96
 * on another node) exclude each other: whichever the journal takes first wins, the other moves nothing.
 */
class JournalAnswerToRepeatTest extends BothDatabases {
    private static final SafRequest OWED = SafRequest.reversal("issuer-a", "96", 900, "156");

    private Journal journal(Backend backend) {
        return new Journal(on(backend).database(), JournalSettings.defaults(), CommitListener.NONE, Clock.systemUTC());
    }

    private static UUID approved(Journal journal, int stan) {
        UUID id = journal.recordSent(purchase("node-a", Requests.newTerminalId(), stan(stan), 900, "issuer-a")).join().entry().id();
        journal.recordOutcome(id, Outcome.approved("123456")).join();
        return id;
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void anOwedReversalDoesNotTakeBackAnApprovalARepeatWasToldStands(Backend backend) {
        try (Journal journal = journal(backend)) {
            UUID id = approved(journal, 71);
            assertThat(journal.answerToRepeat(id, TransactionState.APPROVED).join().applied()).isTrue();

            TransitionResult owed = journal.transitionUnlessAnsweredToRepeat(id, TransactionState.APPROVED,
                    TransactionState.REVERSAL_PENDING, OWED).join();
            assertThat(owed.applied()).isFalse();
            assertThat(owed.state()).isEqualTo(TransactionState.APPROVED);
            assertThat(new JournalReader(on(backend).database()).findById(id).join().orElseThrow().state())
                    .isEqualTo(TransactionState.APPROVED);
            // its terminal's own reversal still takes it back
            assertThat(journal.transition(id, TransactionState.APPROVED, TransactionState.REVERSAL_PENDING, OWED).join().applied()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aRepeatIsNotToldAnApprovalItsOwedReversalTookBack(Backend backend) {
        try (Journal journal = journal(backend)) {
            UUID id = approved(journal, 72);
            assertThat(journal.transitionUnlessAnsweredToRepeat(id, TransactionState.APPROVED,
                    TransactionState.REVERSAL_PENDING, OWED).join().applied()).isTrue();

            TransitionResult repeat = journal.answerToRepeat(id, TransactionState.APPROVED).join();
            assertThat(repeat.applied()).isFalse();
            assertThat(repeat.state()).isEqualTo(TransactionState.REVERSAL_PENDING);
        }
    }

    /** Neither way does the owed reversal that did not apply leave a row naming the approval (settlement would net it out). */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void anOwedReversalThatDoesNotApplyJournalsNoReversalOfTheApproval(Backend backend) {
        try (Journal journal = journal(backend)) {
            UUID id = approved(journal, 73);
            journal.answerToRepeat(id, TransactionState.APPROVED).join();

            journal.transitionUnlessAnsweredToRepeat(id, TransactionState.APPROVED, TransactionState.REVERSAL_PENDING, OWED).join();

            assertThat(new JournalReader(on(backend).database()).findLinked(id).join()).isEmpty();
        }
    }

    /**
     * The key of the switch's reversal row (the record's, MTI version 9) held already, which only a
     * terminal's reversal naming such an MTI in field 90 could do: the reversal is still owed to the
     * issuer, so the record moves and the reversal is queued without the row (logged), rather than
     * the owed reversal failing on every try and the card staying debited.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void anOwedReversalWhoseRowsKeyIsTakenStillMovesItsRecord(Backend backend) {
        try (Journal journal = journal(backend)) {
            UUID id = approved(journal, 74);
            JournalRequest r = new JournalReader(on(backend).database()).findById(id).join().orElseThrow().request();
            journal.recordResolved(new JournalRequest(r.nodeId(), r.businessDate(), r.terminalId(), r.merchantId(), r.stan(),
                    r.transactionDate(), "9200", r.localTime(), "REVERSAL", r.processingCode(), r.amountMinor(), r.currency(),
                    r.card(), null, null), Outcome.declined("94"), null).join();

            assertThat(journal.transitionUnlessAnsweredToRepeat(id, TransactionState.APPROVED, TransactionState.REVERSAL_PENDING, OWED)
                    .join().applied()).isTrue();
            assertThat(new JournalReader(on(backend).database()).findById(id).join().orElseThrow().state())
                    .isEqualTo(TransactionState.REVERSAL_PENDING);
        }
    }
}
