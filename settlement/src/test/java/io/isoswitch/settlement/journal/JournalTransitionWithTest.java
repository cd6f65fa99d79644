package io.isoswitch.settlement.journal;

import static io.isoswitch.settlement.Requests.purchase;
import static io.isoswitch.settlement.Requests.stan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.isoswitch.settlement.Backend;
import io.isoswitch.settlement.BothDatabases;
import io.isoswitch.settlement.Requests;
import io.isoswitch.settlement.saf.SafRequest;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A void moves its original to REVERSAL_PENDING (with the reversal queued) and is recorded in one
 * database transaction: both or neither, whatever races it.
 */
class JournalTransitionWithTest extends BothDatabases {
    private Journal journal(Backend backend) {
        return new Journal(on(backend).database(), JournalSettings.defaults(), CommitListener.NONE, Clock.systemUTC());
    }

    private JournalReader reader(Backend backend) {
        return new JournalReader(on(backend).database());
    }

    private static JournalRequest voidOf(String terminal, int stan, UUID original) {
        return Requests.request("node-a", terminal, stan(stan), "0200", "PURCHASE_VOID", "020000", 900, "issuer-a")
                .withOriginalId(original);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void theVoidIsRecordedWithTheTransitionOfItsOriginalAndNotWithoutIt(Backend backend) {
        try (Journal journal = journal(backend)) {
            String terminal = Requests.newTerminalId();
            UUID original = journal.recordSent(purchase("node-a", terminal, stan(51), 900, "issuer-a")).join().entry().id();
            journal.recordOutcome(original, Outcome.approved("123456")).join();
            SafRequest reversal = SafRequest.reversal("issuer-a", "17", 900, "156");

            TransitionResult first = journal.transitionWith(original, TransactionState.APPROVED, TransactionState.REVERSAL_PENDING,
                    reversal, voidOf(terminal, 52, original), Outcome.approved("123456")).join();
            assertThat(first.applied()).isTrue();
            assertThat(reader(backend).findLinked(original).join()).singleElement()
                    .satisfies(e -> assertThat(e.state()).isEqualTo(TransactionState.APPROVED));

            // a second void of the same original: the original has moved, so nothing is recorded
            TransitionResult second = journal.transitionWith(original, TransactionState.APPROVED, TransactionState.REVERSAL_PENDING,
                    reversal, voidOf(terminal, 53, original), Outcome.approved("123456")).join();
            assertThat(second.applied()).isFalse();
            assertThat(second.state()).isEqualTo(TransactionState.REVERSAL_PENDING);
            assertThat(reader(backend).findLinked(original).join()).hasSize(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aVoidWhoseKeyIsTakenLeavesItsOriginalStanding(Backend backend) {
        try (Journal journal = journal(backend)) {
            String terminal = Requests.newTerminalId();
            UUID original = journal.recordSent(purchase("node-a", terminal, stan(61), 900, "issuer-a")).join().entry().id();
            journal.recordOutcome(original, Outcome.approved("123456")).join();
            journal.recordResolved(voidOf(terminal, 62, null), Outcome.declined("25"), null).join();

            assertThatThrownBy(() -> journal.transitionWith(original, TransactionState.APPROVED, TransactionState.REVERSAL_PENDING,
                    SafRequest.reversal("issuer-a", "17", 900, "156"), voidOf(terminal, 62, original), Outcome.approved("123456")).join())
                    .isInstanceOf(CompletionException.class);
            assertThat(reader(backend).findById(original).join().orElseThrow().state()).isEqualTo(TransactionState.APPROVED);
            assertThat(reader(backend).findLinked(original).join()).isEmpty();
        }
    }
}
