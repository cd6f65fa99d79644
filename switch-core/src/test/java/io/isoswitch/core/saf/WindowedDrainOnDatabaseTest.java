package io.isoswitch.core.saf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.settlement.db.JournalDatabase;
import io.isoswitch.settlement.journal.CardReference;
import io.isoswitch.settlement.journal.CommitListener;
import io.isoswitch.settlement.journal.IssuerLeg;
import io.isoswitch.settlement.journal.Journal;
import io.isoswitch.settlement.journal.JournalReader;
import io.isoswitch.settlement.journal.JournalRequest;
import io.isoswitch.settlement.journal.JournalSettings;
import io.isoswitch.settlement.journal.Outcome;
import io.isoswitch.settlement.journal.TransactionState;
import io.isoswitch.settlement.saf.SafAttempt;
import io.isoswitch.settlement.saf.SafEntry;
import io.isoswitch.settlement.saf.SafKind;
import io.isoswitch.settlement.saf.SafRequest;
import io.isoswitch.settlement.saf.StoreAndForwardQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The windowed drain ({@link IssuerDrain}, {@link SafAcknowledger}) on the real queue, H2 and
 * PostgreSQL: two nodes draining one issuer side by side never have one entry out twice at once,
 * each keeps within its window, every entry is acknowledged once and a stand-in approval's 0420
 * goes only after its advice was answered; a node killed with a window out loses nothing, and its
 * restart sends what was unanswered again, as repeats.
 */
class WindowedDrainOnDatabaseTest {
    private static final Duration LEASE = Duration.ofSeconds(60);
    private static final String ISSUER = "bank-w";
    private static final LocalDate DAY = LocalDate.of(2026, 11, 27);
    private final ScheduledExecutorService answers = Executors.newScheduledThreadPool(2);

    private static JournalBackend backend(String name) {
        return name.equals("h2") ? JournalBackend.h2() : JournalBackend.postgres(WindowedDrainOnDatabaseTest.class);
    }

    private static JournalRequest purchase(String terminal, int stan, String mti, String type, long amount) {
        String s = String.format("%06d", stan);
        CardReference card = new CardReference(new byte[32], "476173******0119", null, null);
        return new JournalRequest("node-a", DAY, terminal, "M00000000000042", s, DAY, mti, LocalDateTime.of(2026, 11, 27, 11, 15, 30),
                type, "000000", amount, "156", card, new IssuerLeg(ISSUER, s, "633012" + s, Instant.parse("2026-11-27T10:15:30Z")),
                null);
    }

    /** Queues {@code count} entries: timeout reversals, and every fifth a stand-in advice with its 0420 behind it. */
    private static int fill(JournalDatabase database, int count) {
        int queued = 0;
        try (Journal journal = new Journal(database, JournalSettings.defaults(), CommitListener.NONE, Clock.systemUTC())) {
            String terminal = "T" + String.format("%07d", ThreadLocalRandom.current().nextInt(10_000_000));
            for (int i = 1; queued < count; i++) {
                if (i % 5 == 0) {
                    UUID id = journal.recordResolved(purchase(terminal, i, "0200", "PURCHASE", 500),
                            new Outcome(TransactionState.STAND_IN_APPROVED, "00", "S12345", null),
                            SafRequest.advice(ISSUER, "0220", 500, "156")).join().entry().id();
                    journal.transition(id, TransactionState.STAND_IN_APPROVED, TransactionState.REVERSAL_PENDING,
                            new SafRequest(SafKind.REVERSAL, ISSUER, "0420", "17", 500, "156")).join();
                    queued += 2;
                } else {
                    UUID id = journal.recordSent(purchase(terminal, i, "0200", "PURCHASE", 100L * i)).join().entry().id();
                    journal.transition(id, TransactionState.SENT, TransactionState.REVERSAL_PENDING,
                            SafRequest.reversal(ISSUER, "68", 100L * i, "156")).join();
                    queued++;
                }
            }
        }
        return queued;
    }

    /** A node's delivery: an issuer that answers after a random short while, out of order, and the acknowledgement written. */
    private final class Node {
        final String id;
        final StoreAndForwardQueue queue;
        final SafAcknowledger acknowledger;
        final ExecutorService thread = Executors.newSingleThreadExecutor();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger mostInFlight = new AtomicInteger();
        final Set<Long> out;
        final List<String> violations;
        final List<SafEntry> sent = Collections.synchronizedList(new ArrayList<>());

        Node(String id, JournalDatabase database, Set<Long> out, List<String> violations) {
            this.id = id;
            this.queue = new StoreAndForwardQueue(database, Clock.systemUTC());
            this.acknowledger = new SafAcknowledger(queue);
            this.out = out;
            this.violations = violations;
        }

        CompletableFuture<IssuerDrain.Delivered> deliver(SafEntry entry) {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            sent.add(entry);
            if (!out.add(entry.id())) {
                violations.add("entry " + entry.id() + " out at two nodes at once");
            }
            if (entry.request().messageType().equals("0420")) {
                // its advice must have been answered: the 0420 names what the advice told the issuer
                boolean answered = queue.pending(ISSUER).join().stream()
                        .noneMatch(e -> e.original().id().equals(entry.original().id()) && e.request().kind() == SafKind.ADVICE);
                if (!answered) {
                    violations.add("a 0420 went before its advice was answered");
                }
            }
            CompletableFuture<IssuerDrain.Delivered> answered = new CompletableFuture<>();
            answers.schedule(() -> {
                out.remove(entry.id());
                inFlight.decrementAndGet();
                acknowledger.acknowledge(entry, null).whenComplete((first, failure) -> answered.complete(failure == null
                        ? IssuerDrain.Delivered.ACKNOWLEDGED : IssuerDrain.Delivered.FAILED));
            }, ThreadLocalRandom.current().nextInt(3), TimeUnit.MILLISECONDS);
            return answered;
        }

        /** Rounds until the issuer's queue is empty. */
        void drainAll(int window) {
            while (queue.summary(ISSUER).join().pending() > 0) {
                new IssuerDrain<>(ISSUER, window, false, max -> queue.claim(ISSUER, id, LEASE, max), this::deliver, thread,
                        new AtomicInteger()).run().join();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void twoNodesDrainingOneIssuerWithWindowsDeliverEveryEntryOnceNeverTwiceAtOnceAndAdvicesFirst(String kind) throws Exception {
        try (JournalBackend backend = backend(kind);
             JournalDatabase first = JournalDatabase.open(backend.config(4, 5_000).toDatabaseConfig());
             JournalDatabase second = JournalDatabase.open(backend.config(4, 5_000).toDatabaseConfig())) {
            int entries = fill(first, 150);
            Set<Long> out = ConcurrentHashMap.newKeySet();
            List<String> violations = Collections.synchronizedList(new ArrayList<>());
            Node a = new Node("node-a", first, out, violations);
            Node b = new Node("node-b", second, out, violations);
            try {
                CompletableFuture<Void> drainA = CompletableFuture.runAsync(() -> a.drainAll(8));
                CompletableFuture<Void> drainB = CompletableFuture.runAsync(() -> b.drainAll(8));
                drainA.get(120, TimeUnit.SECONDS);
                drainB.get(120, TimeUnit.SECONDS);
            } finally {
                a.thread.shutdownNow();
                b.thread.shutdownNow();
                answers.shutdownNow();
            }

            assertThat(violations).isEmpty();
            List<SafEntry> sent = new ArrayList<>(a.sent);
            sent.addAll(b.sent);
            assertThat(sent).as("no failure: each entry sent exactly once").hasSize(entries);
            assertThat(sent.stream().map(SafEntry::id).distinct()).hasSize(entries);
            assertThat(a.mostInFlight.get()).isBetween(1, 8);
            assertThat(b.mostInFlight.get()).isBetween(1, 8);
            JournalReader reader = new JournalReader(first);
            for (SafEntry entry : sent) {
                assertThat(reader.findById(entry.original().id()).join().orElseThrow().state()).isEqualTo(TransactionState.REVERSED);
                assertThat(a.queue.attempts(entry.id()).join()).extracting(SafAttempt::outcome).containsExactly(SafAttempt.Outcome.ACKNOWLEDGED);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aNodeKilledWithAWindowOutLosesNothingAndItsRestartSendsTheUnansweredAgainAsRepeats(String kind) throws Exception {
        try (JournalBackend backend = backend(kind);
             JournalDatabase database = JournalDatabase.open(backend.config(4, 5_000).toDatabaseConfig())) {
            int entries = fill(database, 40);
            StoreAndForwardQueue queue = new StoreAndForwardQueue(database, Clock.systemUTC());
            SafAcknowledger acknowledger = new SafAcknowledger(queue);
            ExecutorService dying = Executors.newSingleThreadExecutor();
            List<SafEntry> sentBeforeDeath = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger answeredBeforeDeath = new AtomicInteger();
            // the issuer answers the first three of the window; the node dies before the other five come back
            new IssuerDrain<SafEntry>(ISSUER, 8, false, max -> queue.claim(ISSUER, "node-a", LEASE, max), entry -> {
                sentBeforeDeath.add(entry);
                if (sentBeforeDeath.size() > 3) {
                    return new CompletableFuture<>();
                }
                return acknowledger.acknowledge(entry, null).thenApply(first -> {
                    answeredBeforeDeath.incrementAndGet();
                    return IssuerDrain.Delivered.ACKNOWLEDGED;
                });
            }, dying, new AtomicInteger()).run();
            await().atMost(Duration.ofSeconds(10)).until(() -> answeredBeforeDeath.get() >= 3);
            dying.shutdownNow();
            assertThat(answeredBeforeDeath.get()).isEqualTo(3);
            assertThat(queue.summary(ISSUER).join().inFlight()).as("the dead node's claims").isEqualTo(sentBeforeDeath.size() - 3);

            // the node starts again: its leases are released, and a drain sends the rest
            queue.releaseLeasesOf("node-a").join();
            List<SafEntry> sentAfter = Collections.synchronizedList(new ArrayList<>());
            ExecutorService restarted = Executors.newSingleThreadExecutor();
            try {
                while (queue.summary(ISSUER).join().pending() > 0) {
                    new IssuerDrain<SafEntry>(ISSUER, 8, false, max -> queue.claim(ISSUER, "node-a", LEASE, max), entry -> {
                        sentAfter.add(entry);
                        return acknowledger.acknowledge(entry, null).thenApply(first -> IssuerDrain.Delivered.ACKNOWLEDGED);
                    }, restarted, new AtomicInteger()).run().get(60, TimeUnit.SECONDS);
                }
            } finally {
                restarted.shutdownNow();
            }

            List<Long> unanswered = sentBeforeDeath.subList(3, sentBeforeDeath.size()).stream().map(SafEntry::id).toList();
            assertThat(sentAfter).filteredOn(e -> unanswered.contains(e.id())).hasSize(unanswered.size())
                    .allSatisfy(e -> assertThat(e.isRepeat()).as("sent again as a repeat").isTrue());
            assertThat(sentAfter).filteredOn(e -> !unanswered.contains(e.id())).allSatisfy(e -> assertThat(e.isRepeat()).isFalse());
            assertThat(sentAfter.size() + 3).as("every entry answered once").isEqualTo(entries);
            JournalReader reader = new JournalReader(database);
            for (SafEntry entry : sentBeforeDeath) {
                assertThat(reader.findById(entry.original().id()).join().orElseThrow().state()).isEqualTo(TransactionState.REVERSED);
                assertThat(queue.attempts(entry.id()).join()).filteredOn(x -> x.outcome() == SafAttempt.Outcome.ACKNOWLEDGED).hasSize(1);
            }
        } finally {
            answers.shutdownNow();
        }
    }
}
