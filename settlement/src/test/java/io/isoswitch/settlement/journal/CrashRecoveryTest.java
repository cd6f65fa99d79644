package io.isoswitch.settlement.journal;

import static io.isoswitch.settlement.Requests.purchase;
import static io.isoswitch.settlement.Requests.stan;
import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.settlement.Backend;
import io.isoswitch.settlement.BothDatabases;
import io.isoswitch.settlement.Requests;
import io.isoswitch.settlement.saf.SafEntry;
import io.isoswitch.settlement.saf.SafKind;
import io.isoswitch.settlement.saf.SafRequest;
import io.isoswitch.settlement.saf.StoreAndForwardQueue;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CrashRecoveryTest extends BothDatabases {

    /** The switch's rule: reverse what may have moved money, let inquiries time out. */
    private static Optional<SafRequest> reversalFor(JournalEntry entry) {
        JournalRequest r = entry.request();
        return r.transactionType().equals("BALANCE_INQUIRY") ? Optional.empty()
                : Optional.of(SafRequest.reversal(r.issuer().issuerId(), "68", r.amountMinor(), r.currency()));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void queuesAReversalForEverySentRecordOfThisNodeInTheSameTransaction(Backend backend) {
        var database = on(backend).database();
        String issuer = "recovery-" + backend.name().toLowerCase(Locale.ROOT);
        String node = "crashed-" + backend.name().toLowerCase(Locale.ROOT);
        String terminal = Requests.newTerminalId();
        UUID purchase1;
        UUID purchase2;
        UUID inquiry;
        UUID approved;
        UUID otherNode;
        try (Journal journal = new Journal(database, JournalSettings.defaults(), CommitListener.NONE, Clock.systemUTC())) {
            purchase1 = journal.recordSent(purchase(node, terminal, stan(1), 1_000, issuer)).join().entry().id();
            purchase2 = journal.recordSent(purchase(node, terminal, stan(2), 2_000, issuer)).join().entry().id();
            inquiry = journal.recordSent(Requests.balanceInquiry(node, terminal, stan(3), issuer)).join().entry().id();
            approved = journal.recordSent(purchase(node, terminal, stan(4), 4_000, issuer)).join().entry().id();
            journal.recordOutcome(approved, Outcome.approved("000001")).join();
            otherNode = journal.recordSent(purchase("alive-node", terminal, stan(5), 5_000, issuer)).join().entry().id();
        }

        CrashRecovery recovery = new CrashRecovery(database, Clock.systemUTC());
        RecoveryReport report = recovery.resolveUnanswered(node, Instant.now().plusSeconds(1), CrashRecoveryTest::reversalFor).join();

        assertThat(report.reversalQueued()).extracting(JournalEntry::id).containsExactly(purchase1, purchase2);
        assertThat(report.timedOut()).extracting(JournalEntry::id).containsExactly(inquiry);
        JournalReader reader = new JournalReader(database);
        assertThat(reader.findById(purchase1).join().orElseThrow().state()).isEqualTo(TransactionState.REVERSAL_PENDING);
        assertThat(reader.findById(inquiry).join().orElseThrow().state()).isEqualTo(TransactionState.TIMED_OUT);
        assertThat(reader.findById(approved).join().orElseThrow().state()).isEqualTo(TransactionState.APPROVED);
        assertThat(reader.findById(otherNode).join().orElseThrow().state()).isEqualTo(TransactionState.SENT);
        var pending = new StoreAndForwardQueue(database, Clock.systemUTC()).pending(issuer).join();
        assertThat(pending).extracting(e -> e.original().id()).containsExactly(purchase1, purchase2);
        assertThat(pending).extracting(SafEntry::request).allSatisfy(r -> assertThat(r.kind()).isEqualTo(SafKind.REVERSAL));
        assertThat(pending).extracting(e -> e.request().amountMinor()).containsExactly(1_000L, 2_000L);

        RecoveryReport again = recovery.resolveUnanswered(node, Instant.now().plusSeconds(1), CrashRecoveryTest::reversalFor).join();
        assertThat(again.total()).isZero();
    }
}
