package io.isoswitch.settlement.journal;

import static io.isoswitch.settlement.Requests.purchase;
import static io.isoswitch.settlement.Requests.stan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.isoswitch.settlement.Backend;
import io.isoswitch.settlement.BothDatabases;
import io.isoswitch.settlement.Requests;
import io.isoswitch.settlement.TestDatabase;
import io.isoswitch.settlement.saf.SafKind;
import io.isoswitch.settlement.saf.SafRequest;
import io.isoswitch.settlement.saf.StoreAndForwardQueue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JournalTest extends BothDatabases {
    private static final String NODE = "node-a";

    @ParameterizedTest
    @EnumSource(Backend.class)
    void recordsSentAndReadsBackTheSameRecord(Backend backend) {
        try (Journal journal = journal(backend, CommitListener.NONE)) {
            JournalRequest request = purchase(NODE, Requests.newTerminalId(), stan(1), 12_345, "issuer-a");
            SentResult result = journal.recordSent(request).join();

            assertThat(result).isInstanceOf(SentResult.Recorded.class);
            assertThat(result.entry().state()).isEqualTo(TransactionState.SENT);
            JournalEntry stored = new JournalReader(on(backend).database()).findById(result.entry().id()).join().orElseThrow();
            assertThat(stored).isEqualTo(result.entry());
            assertThat(stored.request()).isEqualTo(request);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void manyConcurrentWritersShareFewerCommitsThanRecords(Backend backend) throws Exception {
        RecordingListener listener = new RecordingListener();
        try (Journal journal = journal(backend, listener)) {
            listener.holdAfterNextCommit();
            journal.recordSent(purchase(NODE, Requests.newTerminalId(), stan(1), 100, "issuer-a"));
            listener.awaitHeld();

            int writers = 8;
            int perWriter = 50;
            List<CompletableFuture<SentResult>> futures = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                String terminal = Requests.newTerminalId();
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int i = 1; i <= perWriter; i++) {
                        CompletableFuture<SentResult> f = journal.recordSent(purchase(NODE, terminal, stan(i), i, "issuer-a"));
                        synchronized (futures) {
                            futures.add(f);
                        }
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join();
            }
            listener.release();
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();

            assertThat(futures).allSatisfy(f -> assertThat(f.join()).isInstanceOf(SentResult.Recorded.class));
            assertThat(listener.committedWrites()).isEqualTo(writers * perWriter + 1);
            assertThat(listener.committedBatches.size()).isLessThan(writers * perWriter);
            assertThat(listener.committedBatches).anySatisfy(size -> assertThat(size).isGreaterThan(1));
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void futureCompletesOnTheWriterThreadOnlyAfterTheCommit(Backend backend) throws Exception {
        TestDatabase database = on(backend);
        RecordingListener listener = new RecordingListener();
        try (Journal journal = journal(backend, listener)) {
            listener.holdAfterNextCommit();
            journal.recordSent(purchase(NODE, Requests.newTerminalId(), stan(1), 1, "issuer-a"));
            listener.awaitHeld();

            AtomicReference<String> completingThread = new AtomicReference<>();
            AtomicReference<Long> rowsSeenByAnotherConnection = new AtomicReference<>();
            CompletableFuture<SentResult> future = journal.recordSent(
                    purchase(NODE, Requests.newTerminalId(), stan(2), 2, "issuer-a"));
            CompletableFuture<SentResult> observed = future.whenComplete((result, failure) -> {
                completingThread.set(Thread.currentThread().getName());
                rowsSeenByAnotherConnection.set(countById(database, result.entry().id()));
            });
            assertThat(future).isNotDone();
            listener.release();
            observed.join();

            assertThat(completingThread.get()).startsWith("journal-writer-");
            assertThat(rowsSeenByAnotherConnection.get()).isEqualTo(1L);
        }
    }

    /**
     * New rows take time-ordered ids, so the primary key (and journal_in_flight's) grows at its
     * right edge: rows recorded milliseconds apart come back in the order they were recorded when
     * the database sorts them by id.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void rowsRecordedLaterHaveIdsTheDatabaseSortsAfterEarlierOnes(Backend backend) {
        try (Journal journal = journal(backend, CommitListener.NONE)) {
            List<UUID> recorded = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                recorded.add(journal.recordSent(purchase(NODE, Requests.newTerminalId(), stan(200 + i), 10 + i, "issuer-a"))
                        .join().entry().id());
                JournalIdsTest.afterTheNextMillisecond();
            }

            assertThat(idsSortedByTheDatabase(on(backend), recorded)).containsExactlyElementsOf(recorded);
        }
    }

    private static List<UUID> idsSortedByTheDatabase(TestDatabase database, List<UUID> ids) {
        try (Connection c = database.directConnection();
             PreparedStatement s = c.prepareStatement("SELECT id FROM journal WHERE id IN (?, ?, ?, ?, ?) ORDER BY id")) {
            for (int i = 0; i < ids.size(); i++) {
                s.setObject(i + 1, ids.get(i));
            }
            List<UUID> sorted = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    sorted.add(r.getObject(1, UUID.class));
                }
            }
            return sorted;
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static long countById(TestDatabase database, UUID id) {
        try (Connection c = database.directConnection();
             PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM journal WHERE id = ?")) {
            s.setObject(1, id);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void anAnswerAfterTheTimeoutIsKeptAsLateAndNotApplied(Backend backend) {
        try (Journal journal = journal(backend, CommitListener.NONE)) {
            String issuer = "late-" + backend.name().toLowerCase(Locale.ROOT);
            UUID id = journal.recordSent(purchase(NODE, Requests.newTerminalId(), stan(3), 700, issuer)).join().entry().id();
            TransitionResult timeout = journal.transition(id, TransactionState.SENT, TransactionState.REVERSAL_PENDING,
                    SafRequest.reversal(issuer, "68", 700, "840")).join();
            TransitionResult late = journal.recordOutcome(id, Outcome.approved("LATE01")).join();

            assertThat(timeout).isEqualTo(new TransitionResult(true, TransactionState.REVERSAL_PENDING));
            assertThat(late).isEqualTo(new TransitionResult(false, TransactionState.REVERSAL_PENDING));
            JournalEntry stored = new JournalReader(on(backend).database()).findById(id).join().orElseThrow();
            assertThat(stored.state()).isEqualTo(TransactionState.REVERSAL_PENDING);
            assertThat(stored.outcome()).isNull();
            assertThat(stored.lateOutcome().responseCode()).isEqualTo("00");
            assertThat(stored.lateOutcome().authCode()).isEqualTo("LATE01");
            var pending = new StoreAndForwardQueue(on(backend).database(), Clock.systemUTC()).pending(issuer).join();
            assertThat(pending).singleElement().satisfies(entry -> {
                assertThat(entry.request().kind()).isEqualTo(SafKind.REVERSAL);
                assertThat(entry.original().id()).isEqualTo(id);
            });
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aTimeoutQueuedBeforeAnAnswerInTheSameBatchWins(Backend backend) throws Exception {
        RecordingListener listener = new RecordingListener();
        try (Journal journal = journal(backend, listener)) {
            UUID id = journal.recordSent(purchase(NODE, Requests.newTerminalId(), stan(4), 800, "issuer-a")).join().entry().id();
            listener.holdAfterNextCommit();
            journal.recordSent(purchase(NODE, Requests.newTerminalId(), stan(5), 1, "issuer-a"));
            listener.awaitHeld();

            var timeout = journal.transition(id, TransactionState.SENT, TransactionState.TIMED_OUT, null);
            var answer = journal.recordOutcome(id, Outcome.approved("123456"));
            listener.release();

            assertThat(timeout.join().applied()).isTrue();
            assertThat(answer.join()).isEqualTo(new TransitionResult(false, TransactionState.TIMED_OUT));
        }
    }

    /**
     * With several writer threads a record's writes still apply in the order they were queued:
     * they all go to the writer its id names. Taken from one shared queue, a timeout and the
     * answer right behind it could be committed by two threads in either order.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void withSeveralWritersATimeoutQueuedBeforeAnAnswerStillWins(Backend backend) {
        try (Journal journal = journal(backend, CommitListener.NONE, new JournalSettings(1_000, 64, 3))) {
            List<UUID> ids = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                ids.add(journal.recordSent(purchase(NODE, Requests.newTerminalId(), stan(100 + i), 10 + i, "issuer-a"))
                        .join().entry().id());
            }
            List<CompletableFuture<TransitionResult>> timeouts = new ArrayList<>();
            List<CompletableFuture<TransitionResult>> answers = new ArrayList<>();
            for (UUID id : ids) {
                timeouts.add(journal.transition(id, TransactionState.SENT, TransactionState.TIMED_OUT, null));
                answers.add(journal.recordOutcome(id, Outcome.approved("123456")));
            }
            for (int i = 0; i < ids.size(); i++) {
                assertThat(timeouts.get(i).join().applied()).as("timeout of record %d", i).isTrue();
                assertThat(answers.get(i).join()).isEqualTo(new TransitionResult(false, TransactionState.TIMED_OUT));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aStandInApprovalIsJournaledWithItsAdviceQueued(Backend backend) {
        try (Journal journal = journal(backend, CommitListener.NONE)) {
            String issuer = "standin-" + backend.name().toLowerCase(Locale.ROOT);
            Outcome standIn = new Outcome(TransactionState.STAND_IN_APPROVED, "00", "SI0001", null);
            SentResult result = journal.recordResolved(purchase(NODE, Requests.newTerminalId(), stan(9), 2_000, issuer),
                    standIn, SafRequest.advice(issuer, "0220", 2_000, "840")).join();

            JournalEntry stored = new JournalReader(on(backend).database()).findById(result.entry().id()).join().orElseThrow();
            assertThat(stored.state()).isEqualTo(TransactionState.STAND_IN_APPROVED);
            assertThat(stored.outcome()).isEqualTo(standIn);
            var pending = new StoreAndForwardQueue(on(backend).database(), Clock.systemUTC()).pending(issuer).join();
            assertThat(pending).singleElement().satisfies(entry -> {
                assertThat(entry.request().kind()).isEqualTo(SafKind.ADVICE);
                assertThat(entry.request().messageType()).isEqualTo("0220");
            });
        }
    }

    /**
     * A second reversal of a record being reversed is queued behind the first while the record stays
     * REVERSAL_PENDING, and not once it has moved on; a SENT record (still at its issuer) is refused.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void queueAgainQueuesASecondReversalOnlyWhileTheRecordIsInTheStateNamed(Backend backend) {
        try (Journal journal = journal(backend, CommitListener.NONE)) {
            String issuer = "again-" + backend.name().toLowerCase(Locale.ROOT);
            UUID id = journal.recordSent(purchase(NODE, Requests.newTerminalId(), stan(11), 900, issuer)).join().entry().id();
            assertThatThrownBy(() -> journal.queueAgain(id, TransactionState.SENT, SafRequest.reversal(issuer, "68", 900, "840")))
                    .isInstanceOf(IllegalArgumentException.class);
            journal.transition(id, TransactionState.SENT, TransactionState.REVERSAL_PENDING, SafRequest.reversal(issuer, "68", 900, "840"))
                    .join();

            TransitionResult again = journal.queueAgain(id, TransactionState.REVERSAL_PENDING, SafRequest.reversal(issuer, "68", 900, "840"))
                    .join();
            TransitionResult notThere = journal.queueAgain(id, TransactionState.REVERSED, SafRequest.reversal(issuer, "68", 900, "840"))
                    .join();

            assertThat(again).isEqualTo(new TransitionResult(true, TransactionState.REVERSAL_PENDING));
            assertThat(notThere).isEqualTo(new TransitionResult(false, TransactionState.REVERSAL_PENDING));
            var pending = new StoreAndForwardQueue(on(backend).database(), Clock.systemUTC()).pending(issuer).join();
            assertThat(pending).hasSize(2).allSatisfy(entry -> assertThat(entry.original().id()).isEqualTo(id));
        }
    }

    /** A record resolved under an id of the caller's: a caller whose write fails in doubt knows what to look for. */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void recordResolvedKeepsTheIdItIsGiven(Backend backend) {
        try (Journal journal = journal(backend, CommitListener.NONE)) {
            UUID id = UUID.randomUUID();
            SentResult result = journal.recordResolved(id, purchase(NODE, Requests.newTerminalId(), stan(12), 300, "issuer-a"),
                    Outcome.declined("05"), null).join();
            assertThat(result.entry().id()).isEqualTo(id);
            assertThat(new JournalReader(on(backend).database()).findById(id).join()).isPresent();
        }
    }
}
