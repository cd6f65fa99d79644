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
import java.sql.Connection;
import java.sql.SQLException;
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

    /**
     * Recovery finds a node's SENT rows through journal_in_flight (state has no index, so outcomes
     * update in place): every SENT row must be there, and the outcome, the recovery and a transition
     * out of SENT take it out again. A row left there for a record that moved on is not resolved
     * twice; recovery drops it.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void inFlightHoldsExactlyTheSentRecordsOfEachNode(Backend backend) throws SQLException {
        var db = on(backend);
        String issuer = "inflight-" + backend.name().toLowerCase(Locale.ROOT);
        String node = "inflight-node-" + backend.name().toLowerCase(Locale.ROOT);
        String terminal = Requests.newTerminalId();
        UUID answered;
        UUID unanswered;
        UUID timedOut;
        try (Journal journal = new Journal(db.database(), JournalSettings.defaults(), CommitListener.NONE, Clock.systemUTC())) {
            answered = journal.recordSent(purchase(node, terminal, stan(11), 1_100, issuer)).join().entry().id();
            unanswered = journal.recordSent(purchase(node, terminal, stan(12), 1_200, issuer)).join().entry().id();
            timedOut = journal.recordSent(purchase(node, terminal, stan(13), 1_300, issuer)).join().entry().id();
            assertThat(inFlight(db, node)).isEqualTo(3);
            journal.recordOutcome(answered, Outcome.approved("000011")).join();
            assertThat(journal.transition(timedOut, TransactionState.SENT, TransactionState.TIMED_OUT, null).join().applied()).isTrue();
        }
        assertThat(inFlight(db, node)).isEqualTo(1);
        try (Connection c = db.directConnection(); var s = c.prepareStatement("INSERT INTO journal_in_flight (id, node_id) VALUES (?, ?)")) {
            s.setObject(1, answered); // as a path that forgot to take it out would leave it
            s.setString(2, node);
            s.executeUpdate();
        }

        RecoveryReport report = new CrashRecovery(db.database(), Clock.systemUTC())
                .resolveUnanswered(node, Instant.now().plusSeconds(1), CrashRecoveryTest::reversalFor).join();

        assertThat(report.reversalQueued()).extracting(JournalEntry::id).containsExactly(unanswered);
        assertThat(report.timedOut()).isEmpty();
        assertThat(new JournalReader(db.database()).findById(answered).join().orElseThrow().state()).isEqualTo(TransactionState.APPROVED);
        assertThat(inFlight(db, node)).isZero();
    }

    private static long inFlight(io.isoswitch.settlement.TestDatabase db, String node) throws SQLException {
        return db.queryLong("SELECT COUNT(*) FROM journal_in_flight WHERE node_id = '" + node + "'");
    }
}
