package io.isoswitch.settlement.journal;

import static io.isoswitch.settlement.Requests.purchase;
import static io.isoswitch.settlement.Requests.stan;
import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.settlement.Backend;
import io.isoswitch.settlement.BothDatabases;
import io.isoswitch.settlement.Requests;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A repeated request is found by its unique key and answered from the journal, across threads and writers. */
class JournalIdempotencyTest extends BothDatabases {
    private static final String NODE = "node-a";

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aRepeatedRequestGetsTheExistingRecordBack(Backend backend) {
        try (Journal journal = journal(backend, CommitListener.NONE)) {
            String terminal = Requests.newTerminalId();
            SentResult first = journal.recordSent(purchase(NODE, terminal, stan(7), 500, "issuer-a")).join();
            journal.recordOutcome(first.entry().id(), Outcome.approved("A1B2C3")).join();

            JournalRequest repeat = Requests.request(NODE, terminal, stan(7), "0201", "PURCHASE", "000000", 500, "issuer-a");
            SentResult second = journal.recordSent(repeat).join();

            assertThat(second).isInstanceOf(SentResult.Duplicate.class);
            assertThat(second.entry().id()).isEqualTo(first.entry().id());
            assertThat(second.entry().state()).isEqualTo(TransactionState.APPROVED);
            assertThat(second.entry().outcome()).isEqualTo(Outcome.approved("A1B2C3"));
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void concurrentDuplicatesFromTwoThreadsYieldOneRowAndOneDuplicate(Backend backend) throws Exception {
        // Two writer threads: the duplicates may meet in one batch or race across two connections.
        try (Journal journal = journal(backend, CommitListener.NONE, new JournalSettings(1_000, 64, 2))) {
            String terminal = Requests.newTerminalId();
            int keys = 40;
            List<CompletableFuture<SentResult>> left = new ArrayList<>();
            List<CompletableFuture<SentResult>> right = new ArrayList<>();
            var start = new CyclicBarrier(2);
            Thread a = Thread.ofPlatform().start(() -> submitAll(journal, terminal, keys, start, left));
            Thread b = Thread.ofPlatform().start(() -> submitAll(journal, terminal, keys, start, right));
            a.join();
            b.join();

            for (int i = 0; i < keys; i++) {
                SentResult x = left.get(i).join();
                SentResult y = right.get(i).join();
                assertThat(List.of(x, y)).filteredOn(r -> r instanceof SentResult.Recorded).hasSize(1);
                assertThat(List.of(x, y)).filteredOn(r -> r instanceof SentResult.Duplicate).hasSize(1);
                assertThat(x.entry().id()).isEqualTo(y.entry().id());
            }
            assertThat(on(backend).queryLong("SELECT COUNT(*) FROM journal WHERE terminal_id = '" + terminal + "'"))
                    .isEqualTo(keys);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aRepeatInABatchOfNewRowsAndAnswersLeavesEveryOtherWriteApplied(Backend backend) throws Exception {
        // New rows go in as plain inserts first; the repeat's taken key aborts that transaction and
        // the batch is applied again resolving it. Every other write of the batch must still land, once.
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean armed = new AtomicBoolean();
        List<Integer> batches = new CopyOnWriteArrayList<>();
        CommitListener gate = new CommitListener() {
            @Override
            public void batchCommitted(int writes, long commitNanos) {
                batches.add(writes);
                if (armed.get() && held.getCount() > 0) {
                    held.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        try (Journal journal = journal(backend, gate)) {
            String terminal = Requests.newTerminalId();
            UUID answeredId = journal.recordSent(purchase(NODE, terminal, stan(1), 500, "issuer-a")).join().entry().id();
            // the next batch holds the writer (in the listener) until every write below is queued
            armed.set(true);
            CompletableFuture<SentResult> gateRow = journal.recordSent(purchase(NODE, terminal, stan(9), 400, "issuer-a"));
            assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<SentResult> fresh = journal.recordSent(purchase(NODE, terminal, stan(2), 600, "issuer-a"));
            CompletableFuture<TransitionResult> outcome = journal.recordOutcome(answeredId, Outcome.approved("A1B2C3"));
            CompletableFuture<SentResult> repeat = journal.recordSent(purchase(NODE, terminal, stan(1), 500, "issuer-a"));
            CompletableFuture<SentResult> another = journal.recordSent(purchase(NODE, terminal, stan(3), 700, "issuer-a"));
            release.countDown();

            assertThat(repeat.join()).isInstanceOf(SentResult.Duplicate.class);
            assertThat(repeat.join().entry().id()).isEqualTo(answeredId);
            assertThat(fresh.join()).isInstanceOf(SentResult.Recorded.class);
            assertThat(another.join()).isInstanceOf(SentResult.Recorded.class);
            assertThat(outcome.join().applied()).isTrue();
            assertThat(gateRow.join()).isInstanceOf(SentResult.Recorded.class);
            assertThat(batches).containsExactly(1, 1, 4);
            assertThat(on(backend).queryLong("SELECT COUNT(*) FROM journal WHERE terminal_id = '" + terminal + "'")).isEqualTo(4);
            assertThat(on(backend).queryLong("SELECT COUNT(*) FROM journal WHERE terminal_id = '" + terminal
                    + "' AND state = 'APPROVED' AND id = '" + answeredId + "'")).isEqualTo(1);
            // the three new rows wait for their issuer; the answered one no longer does
            assertThat(on(backend).queryLong("SELECT COUNT(*) FROM journal_in_flight f JOIN journal j ON j.id = f.id"
                    + " WHERE j.terminal_id = '" + terminal + "'")).isEqualTo(3);
        }
    }

    private static void submitAll(Journal journal, String terminal, int keys, CyclicBarrier start,
                                  List<CompletableFuture<SentResult>> into) {
        try {
            start.await();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        for (int i = 1; i <= keys; i++) {
            into.add(journal.recordSent(purchase(NODE, terminal, stan(i), 900, "issuer-a")));
        }
    }
}
