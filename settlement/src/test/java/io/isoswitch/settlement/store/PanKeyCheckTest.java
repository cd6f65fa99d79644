package io.isoswitch.settlement.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.settlement.Backend;
import io.isoswitch.settlement.Requests;
import io.isoswitch.settlement.TestDatabase;
import io.isoswitch.settlement.db.JournalDatabase;
import io.isoswitch.settlement.journal.CardReference;
import io.isoswitch.settlement.journal.CommitListener;
import io.isoswitch.settlement.journal.Journal;
import io.isoswitch.settlement.journal.JournalRequest;
import io.isoswitch.settlement.journal.JournalSettings;
import io.isoswitch.settlement.store.PanKeyCheck.KeyNames;
import io.isoswitch.settlement.store.PanKeyCheck.Recorded;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each test on a schema of its own: the table holds one row for the whole database. */
class PanKeyCheckTest {
    private static final KeyNames FIRST = new KeyNames("a1".repeat(32), "1A2B3C");
    private static final KeyNames OTHER = new KeyNames("b2".repeat(32), "4D5E6F");

    @ParameterizedTest
    @EnumSource(Backend.class)
    void theFirstNodeToRecordItsKeysDefinesThemForEveryLaterNode(Backend backend) throws SQLException {
        try (TestDatabase db = TestDatabase.open(backend); JournalDatabase other = db.openAnotherNode()) {
            PanKeyCheck nodeA = new PanKeyCheck(db.database());
            PanKeyCheck nodeB = new PanKeyCheck(other);
            assertThat(nodeA.recorded().join()).as("no node recorded any").isEmpty();

            Recorded first = nodeA.recordUnlessRecorded(FIRST, "node-a").join();
            assertThat(first.keys()).isEqualTo(FIRST);
            assertThat(first.nodeId()).isEqualTo("node-a");
            assertThat(first.recordedAt()).isNotNull();

            assertThat(nodeB.recordUnlessRecorded(OTHER, "node-b").join()).as("a later node's keys are not recorded")
                    .isEqualTo(first);
            assertThat(nodeB.recorded().join()).contains(first);
            assertThat(db.queryLong("SELECT COUNT(*) FROM pan_key_check")).isOne();
        }
    }

    /**
     * Two nodes starting at once: the one whose insert comes second waits for the first's, then
     * records nothing and reads the first's row, which it compares with its own keys.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void aNodeRecordingWhileAnotherRecordsGetsTheOtherNodesRow(Backend backend) throws Exception {
        try (TestDatabase db = TestDatabase.open(backend); Connection nodeA = db.directConnection()) {
            nodeA.setAutoCommit(false);
            try (PreparedStatement s = nodeA.prepareStatement("INSERT INTO pan_key_check (id, probe_token, data_key_id, node_id,"
                    + " recorded_at) VALUES (1, ?, ?, 'node-a', CURRENT_TIMESTAMP)")) {
                s.setString(1, FIRST.probeToken());
                s.setString(2, FIRST.dataKeyId());
                s.executeUpdate();
            }
            CompletableFuture<Recorded> nodeB = new PanKeyCheck(db.database()).recordUnlessRecorded(OTHER, "node-b");
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> nodeB.isDone() || waitsOnALock(db));
            assertThat(nodeB).as("node B's insert waits for node A's").isNotDone();
            nodeA.commit();

            Recorded found = nodeB.join();
            assertThat(found.keys()).isEqualTo(FIRST);
            assertThat(found.nodeId()).isEqualTo("node-a");
            assertThat(db.queryLong("SELECT COUNT(*) FROM pan_key_check")).isOne();
        }
    }

    /** What a journal written before the table tells of its keys: the data key of its latest business date's records. */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void theJournalsDataKeyIsThatOfItsLatestBusinessDatesRecords(Backend backend) throws SQLException {
        try (TestDatabase db = TestDatabase.open(backend);
             Journal journal = new Journal(db.database(), JournalSettings.defaults(), CommitListener.NONE, Clock.systemUTC())) {
            PanKeyCheck check = new PanKeyCheck(db.database());
            assertThat(check.journalDataKeyId().join()).as("no records").isEmpty();
            LocalDate day = Requests.BUSINESS_DATE;
            journal.recordSent(purchase(day.plusDays(1), CardReference.NONE)).join();
            assertThat(check.journalDataKeyId().join()).as("no record with an encrypted PAN").isEmpty();

            journal.recordSent(purchase(day, card("OLD111"))).join();
            journal.recordSent(purchase(day.plusDays(1), card("NEW222"))).join();
            assertThat(check.journalDataKeyId().join()).contains("NEW222");
        }
    }

    private static JournalRequest purchase(LocalDate businessDate, CardReference card) {
        JournalRequest r = Requests.purchase("node-a", Requests.newTerminalId(), "000001", 1_000, "bank-a");
        return new JournalRequest(r.nodeId(), businessDate, r.terminalId(), r.merchantId(), r.stan(), businessDate, r.mti(),
                r.localTime(), r.transactionType(), r.processingCode(), r.amountMinor(), r.currency(), card, r.issuer(), null);
    }

    private static CardReference card(String dataKeyId) {
        return new CardReference(new byte[32], "476173******0119", new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, dataKeyId);
    }

    private static boolean waitsOnALock(TestDatabase db) throws SQLException {
        return db.queryLong(db.backend() == Backend.H2
                ? "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE BLOCKER_ID IS NOT NULL"
                : "SELECT COUNT(*) FROM pg_stat_activity a WHERE a.wait_event_type = 'Lock' AND EXISTS (SELECT 1 FROM pg_locks l"
                + " WHERE l.pid = a.pid AND l.relation = 'pan_key_check'::regclass)") > 0;
    }
}
