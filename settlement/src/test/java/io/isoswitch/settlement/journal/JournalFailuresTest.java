package io.isoswitch.settlement.journal;

import static io.isoswitch.settlement.Requests.purchase;
import static io.isoswitch.settlement.Requests.stan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.isoswitch.settlement.Backend;
import io.isoswitch.settlement.BothDatabases;
import io.isoswitch.settlement.JournalClosedException;
import io.isoswitch.settlement.JournalOverloadedException;
import io.isoswitch.settlement.JournalWriteException;
import io.isoswitch.settlement.Requests;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** How the journal fails: typed, at once, and only the writes concerned. */
class JournalFailuresTest extends BothDatabases {
    private static final String NODE = "node-a";

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aFullQueueRefusesAtOnceWithBackPressure(Backend backend) throws Exception {
        RecordingListener listener = new RecordingListener();
        try (Journal journal = journal(backend, listener, new JournalSettings(2, 16, 1))) {
            listener.holdAfterNextCommit();
            journal.recordSent(purchase(NODE, Requests.newTerminalId(), stan(1), 1, "issuer-a"));
            listener.awaitHeld();
            String terminal = Requests.newTerminalId();
            var queued1 = journal.recordSent(purchase(NODE, terminal, stan(1), 1, "issuer-a"));
            var queued2 = journal.recordSent(purchase(NODE, terminal, stan(2), 1, "issuer-a"));
            var refused = journal.recordSent(purchase(NODE, terminal, stan(3), 1, "issuer-a"));

            assertThat(refused).isCompletedExceptionally();
            assertThatThrownBy(refused::join).hasCauseInstanceOf(JournalOverloadedException.class);
            listener.release();
            assertThat(queued1.join()).isInstanceOf(SentResult.Recorded.class);
            assertThat(queued2.join()).isInstanceOf(SentResult.Recorded.class);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aWriteTheDatabaseRefusesFailsAloneAndItsBatchCommits(Backend backend) throws Exception {
        RecordingListener listener = new RecordingListener();
        try (Journal journal = journal(backend, listener)) {
            listener.holdAfterNextCommit();
            journal.recordSent(purchase(NODE, Requests.newTerminalId(), stan(1), 1, "issuer-a"));
            listener.awaitHeld();
            String terminal = Requests.newTerminalId();
            var good1 = journal.recordSent(purchase(NODE, terminal, stan(1), 1, "issuer-a"));
            JournalRequest orphanRefund = Requests.request(NODE, terminal, stan(2), "0200", "REFUND", "200000", 1, "issuer-a")
                    .withOriginal(UUID.randomUUID());
            var refused = journal.recordSent(orphanRefund);
            var good2 = journal.recordSent(purchase(NODE, terminal, stan(3), 1, "issuer-a"));
            listener.release();

            assertThat(good1.join()).isInstanceOf(SentResult.Recorded.class);
            assertThat(good2.join()).isInstanceOf(SentResult.Recorded.class);
            assertThatThrownBy(refused::join).isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(JournalWriteException.class);
            assertThat(on(backend).queryLong("SELECT COUNT(*) FROM journal WHERE terminal_id = '" + terminal + "'"))
                    .isEqualTo(2);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void anOutcomeForAnUnknownRecordFailsTyped(Backend backend) {
        try (Journal journal = journal(backend, CommitListener.NONE)) {
            var result = journal.recordOutcome(UUID.randomUUID(), Outcome.declined("05"));
            assertThatThrownBy(result::join).hasCauseInstanceOf(JournalWriteException.class)
                    .hasMessageContaining("no such journal record");
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aClosedJournalRefusesWrites(Backend backend) {
        Journal journal = journal(backend, CommitListener.NONE);
        journal.close();
        var result = journal.recordSent(purchase(NODE, Requests.newTerminalId(), stan(1), 1, "issuer-a"));
        assertThatThrownBy(result::join).hasCauseInstanceOf(JournalClosedException.class);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aFailingMetricsHookDoesNotFailCommittedWrites(Backend backend) {
        CommitListener broken = new CommitListener() {
            @Override
            public void batchCommitted(int writes, long commitNanos) {
                throw new IllegalStateException("metrics registry is broken");
            }
        };
        try (Journal journal = journal(backend, broken)) {
            SentResult result = journal.recordSent(purchase(NODE, Requests.newTerminalId(), stan(1), 1, "issuer-a")).join();
            assertThat(result).isInstanceOf(SentResult.Recorded.class);
        }
    }

    /**
     * Regression: readiness follows the journal's last commit, so a failed batch turned the node
     * not ready until a later batch committed. But a node that is not ready gets no new traffic
     * (the load balancer stops sending), and with none the journal never said it was back: after a
     * database outage the node stayed out of service until it was restarted. An idle writer whose
     * last batch failed now probes the journal table and reports it back.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void aJournalThatFailedReportsItselfBackWithoutWaitingForAWrite(Backend backend) throws Exception {
        RecordingListener listener = new RecordingListener();
        try (Journal journal = journal(backend, listener)) {
            try (java.sql.Connection c = on(backend).directConnection(); java.sql.Statement s = c.createStatement()) {
                s.execute("ALTER TABLE journal RENAME TO journal_away");
                try {
                    assertThatThrownBy(() -> journal.recordSent(purchase(NODE, Requests.newTerminalId(), stan(1), 1, "issuer-a"))
                            .join()).isInstanceOf(CompletionException.class);
                    assertThat(listener.failedBatches).hasSize(1);
                } finally {
                    s.execute("ALTER TABLE journal_away RENAME TO journal");
                }
            }
            // nothing more is written: the writer finds the journal back by itself
            await().atMost(java.time.Duration.ofSeconds(60)).until(() -> listener.recoveries.get() > 0);
            assertThat(listener.committedBatches).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void refusesMoreWriterThreadsThanThePoolCanServe(Backend backend) {
        // The test pool has 6 connections, 3 of them for the read threads.
        assertThatThrownBy(() -> journal(backend, CommitListener.NONE, new JournalSettings(100, 16, 4)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("journal.poolSize").hasMessageContaining("found 6");
    }
}
