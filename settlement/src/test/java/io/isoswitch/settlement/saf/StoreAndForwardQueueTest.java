package io.isoswitch.settlement.saf;

import static io.isoswitch.settlement.Requests.purchase;
import static io.isoswitch.settlement.Requests.stan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.isoswitch.settlement.Backend;
import io.isoswitch.settlement.BothDatabases;
import io.isoswitch.testkit.time.MutableClock;
import io.isoswitch.settlement.Requests;
import io.isoswitch.settlement.db.JournalDatabase;
import io.isoswitch.settlement.journal.CommitListener;
import io.isoswitch.settlement.journal.Journal;
import io.isoswitch.settlement.journal.JournalReader;
import io.isoswitch.settlement.journal.JournalSettings;
import io.isoswitch.settlement.journal.TransactionState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StoreAndForwardQueueTest extends BothDatabases {
    private static final Duration LEASE = Duration.ofSeconds(30);
    private final MutableClock clock = MutableClock.startingNow();

    private StoreAndForwardQueue queue(Backend backend) {
        return new StoreAndForwardQueue(on(backend).database(), clock);
    }

    /** Queues {@code count} reversals for {@code issuer} the way the switch does: a timeout transition each. */
    private List<UUID> queueReversals(Backend backend, String issuer, int count) {
        List<UUID> ids = new ArrayList<>();
        try (Journal journal = new Journal(on(backend).database(), JournalSettings.defaults(), CommitListener.NONE, clock)) {
            String terminal = Requests.newTerminalId();
            for (int i = 1; i <= count; i++) {
                UUID id = journal.recordSent(purchase("node-a", terminal, stan(i), i * 100L, issuer)).join().entry().id();
                journal.transition(id, TransactionState.SENT, TransactionState.REVERSAL_PENDING,
                        SafRequest.reversal(issuer, "68", i * 100L, "840")).join();
                ids.add(id);
            }
        }
        return ids;
    }

    private static String issuer(String name, Backend backend) {
        return name + "-" + backend.name().toLowerCase(Locale.ROOT);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void deliversAnIssuersEntriesOneAtATimeInOrder(Backend backend) {
        String issuer = issuer("order", backend);
        List<UUID> journalIds = queueReversals(backend, issuer, 3);
        StoreAndForwardQueue queue = queue(backend);

        List<UUID> delivered = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            SafEntry head = queue.claimNext(issuer, "consumer-1", LEASE).join().orElseThrow();
            assertThat(queue.claimNext(issuer, "consumer-2", LEASE).join()).as("the head is leased; nothing behind it").isEmpty();
            delivered.add(head.original().id());
            assertThat(queue.acknowledge(head).join()).isTrue();
        }
        assertThat(delivered).isEqualTo(journalIds);
        assertThat(queue.claimNext(issuer, "consumer-1", LEASE).join()).isEmpty();
        assertThat(queue.issuersWithPending().join()).doesNotContain(issuer);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aRestartedConsumerReleasesTheLeasesItsDeadPredecessorHeldAndOnlyThose(Backend backend) {
        String mine = issuer("restart-mine", backend);
        String theirs = issuer("restart-theirs", backend);
        queueReversals(backend, mine, 1);
        queueReversals(backend, theirs, 1);
        StoreAndForwardQueue queue = queue(backend);
        assertThat(queue.claimNext(mine, "node-1", LEASE).join()).isPresent();
        assertThat(queue.claimNext(theirs, "node-2", LEASE).join()).isPresent();

        // node-1 was killed holding its lease and starts again
        assertThat(queue.releaseLeasesOf("node-1").join()).isEqualTo(1);

        assertThat(queue.claimNext(mine, "node-1", LEASE).join()).as("its head is free at once").isPresent()
                .get().extracting(SafEntry::attempts).isEqualTo(2);
        assertThat(queue.claimNext(theirs, "node-1", LEASE).join()).as("another node's live lease holds").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void twoConcurrentConsumersClaimEveryEntryExactlyOnceAndInOrder(Backend backend) throws Exception {
        String issuer = issuer("race", backend);
        int entries = 20;
        List<UUID> journalIds = queueReversals(backend, issuer, entries);
        List<UUID> claims = Collections.synchronizedList(new ArrayList<>());
        CyclicBarrier start = new CyclicBarrier(2);

        // Two nodes: two pools on the same schema, one consumer each.
        try (JournalDatabase otherNode = on(backend).openAnotherNode()) {
            Thread a = Thread.ofPlatform().start(() -> consume(queue(backend), issuer, "node-a", start, claims));
            Thread b = Thread.ofPlatform().start(
                    () -> consume(new StoreAndForwardQueue(otherNode, clock), issuer, "node-b", start, claims));
            a.join();
            b.join();
        }

        assertThat(claims).isEqualTo(journalIds);
    }

    /** Claims and acknowledges until the issuer's queue is empty. */
    private static void consume(StoreAndForwardQueue queue, String issuer, String consumer, CyclicBarrier start,
                                List<UUID> claims) {
        await(start);
        while (!queue.pending(issuer).join().isEmpty()) {
            Optional<SafEntry> claimed = queue.claimNext(issuer, consumer, LEASE).join();
            claimed.ifPresent(entry -> {
                claims.add(entry.original().id());
                queue.acknowledge(entry).join();
            });
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aHeadWaitingForItsRetryHoldsBackTheEntriesBehindIt(Backend backend) {
        String issuer = issuer("backoff", backend);
        List<UUID> journalIds = queueReversals(backend, issuer, 2);
        StoreAndForwardQueue queue = queue(backend);

        SafEntry first = queue.claimNext(issuer, "consumer-1", LEASE).join().orElseThrow();
        assertThat(first.isRepeat()).isFalse();
        assertThat(queue.retryLater(first, clock.instant().plusSeconds(60), "no answer").join()).isTrue();
        assertThat(queue.claimNext(issuer, "consumer-1", LEASE).join()).isEmpty();

        clock.advance(Duration.ofSeconds(60));
        SafEntry retried = queue.claimNext(issuer, "consumer-1", LEASE).join().orElseThrow();
        assertThat(retried.original().id()).isEqualTo(journalIds.getFirst());
        assertThat(retried.attempts()).isEqualTo(2);
        assertThat(retried.isRepeat()).isTrue();
        assertThat(retried.lastError()).isEqualTo("no answer");
    }

    /**
     * Regression: the head claim did not check the retry stop, so an entry that had failed on its
     * own for longer than {@link StoreAndForwardQueue#FAILED_ALONE_STOP} was handed out and sent
     * again. It is abandoned where it would be claimed, and the entry behind it goes.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void theHeadClaimAbandonsAnEntryPastItsRetryStopAndTakesTheOneBehindIt(Backend backend) {
        String issuer = issuer("head-stop", backend);
        List<UUID> journalIds = queueReversals(backend, issuer, 2);
        StoreAndForwardQueue queue = queue(backend);
        SafEntry failing = queue.claimNext(issuer, "consumer-1", LEASE).join().orElseThrow();
        assertThat(queue.retryAlone(failing, clock.instant().plusSeconds(30), "cannot be built (X)").join()).isTrue();

        clock.advance(StoreAndForwardQueue.FAILED_ALONE_STOP);

        SafEntry next = queue.claimNext(issuer, "consumer-2", LEASE).join().orElseThrow();
        assertThat(next.original().id()).as("not the entry past its stop").isEqualTo(journalIds.get(1));
        assertThat(queue.summary(issuer).join().abandoned()).isEqualTo(1);
        assertThat(queue.attempts(failing.id()).join()).extracting(SafAttempt::outcome).last().isEqualTo(SafAttempt.Outcome.ABANDONED);
        assertThat(queue.acknowledge(next).join()).isTrue();
        assertThat(queue.claimNext(issuer, "consumer-2", LEASE).join()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void anIssuerWhoseLinkCameBackHasItsBackedOffEntriesDueAtOnceButNotThoseLeased(Backend backend) {
        String issuer = issuer("due-now", backend);
        String other = issuer("due-now-other", backend);
        List<UUID> journalIds = queueReversals(backend, issuer, 2);
        queueReversals(backend, other, 1);
        StoreAndForwardQueue queue = queue(backend);
        SafEntry first = queue.claimNext(issuer, "consumer-1", LEASE).join().orElseThrow();
        queue.retryLater(first, clock.instant().plusSeconds(300), "link dropped").join();
        SafEntry otherHead = queue.claimNext(other, "consumer-1", LEASE).join().orElseThrow();
        queue.retryLater(otherHead, clock.instant().plusSeconds(300), "link dropped").join();
        assertThat(queue.claimNext(issuer, "consumer-1", LEASE).join()).isEmpty();

        assertThat(queue.dueNow(issuer).join()).isEqualTo(1);

        SafEntry again = queue.claimNext(issuer, "consumer-1", LEASE).join().orElseThrow();
        assertThat(again.original().id()).isEqualTo(journalIds.getFirst());
        assertThat(again.attempts()).isEqualTo(2);
        assertThat(queue.claimNext(other, "consumer-1", LEASE).join()).as("another issuer's backoff stands").isEmpty();
        assertThat(queue.dueNow(issuer).join()).as("the claimed head is due already; the one behind it too").isZero();
        assertThat(queue.claimNext(issuer, "consumer-2", LEASE).join()).as("the lease still holds the head").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aLeaseThatExpiresLetsAnotherConsumerClaimTheEntry(Backend backend) {
        String issuer = issuer("lease", backend);
        queueReversals(backend, issuer, 1);
        StoreAndForwardQueue queue = queue(backend);

        SafEntry claimed = queue.claimNext(issuer, "dead-consumer", LEASE).join().orElseThrow();
        clock.advance(LEASE);
        SafEntry reclaimed = queue.claimNext(issuer, "consumer-2", LEASE).join().orElseThrow();

        assertThat(reclaimed.id()).isEqualTo(claimed.id());
        assertThat(reclaimed.attempts()).isEqualTo(2);
        assertThat(queue.retryLater(claimed, clock.instant(), "woke up late").join())
                .as("a stale consumer cannot release the new holder's claim").isFalse();
        assertThat(queue.claimNext(issuer, "consumer-3", LEASE).join()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void everyAttemptAndHowItEndedIsRecorded(Backend backend) {
        String issuer = issuer("attempts", backend);
        queueReversals(backend, issuer, 1);
        StoreAndForwardQueue queue = queue(backend);

        SafEntry first = queue.claimNext(issuer, "consumer-1", LEASE).join().orElseThrow();
        queue.retryLater(first, clock.instant(), "no answer in 30 s").join();
        SafEntry second = queue.claimNext(issuer, "consumer-2", LEASE).join().orElseThrow();
        queue.acknowledge(second).join();

        assertThat(queue.attempts(first.id()).join())
                .extracting(SafAttempt::attempt, SafAttempt::outcome, SafAttempt::detail, SafAttempt::consumerId)
                .containsExactly(
                        tuple(1, SafAttempt.Outcome.RETRY, "no answer in 30 s", "consumer-1"),
                        tuple(2, SafAttempt.Outcome.ACKNOWLEDGED, null, "consumer-2"));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void acknowledgingAReversalMarksItsRecordReversedOnce(Backend backend) {
        String issuer = issuer("ack", backend);
        UUID journalId = queueReversals(backend, issuer, 1).getFirst();
        StoreAndForwardQueue queue = queue(backend);

        SafEntry entry = queue.claimNext(issuer, "consumer-1", LEASE).join().orElseThrow();
        assertThat(entry.original().state()).isEqualTo(TransactionState.REVERSAL_PENDING);
        assertThat(queue.acknowledge(entry).join()).isTrue();
        assertThat(queue.acknowledge(entry).join()).isFalse();

        var record = new JournalReader(on(backend).database()).findById(journalId).join().orElseThrow();
        assertThat(record.state()).isEqualTo(TransactionState.REVERSED);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void anAdviceTheIssuerDeclinesIsDoneAndItsRecordMarkedForOperators(Backend backend) {
        String issuer = issuer("advice", backend);
        UUID approved;
        UUID posted;
        try (Journal journal = new Journal(on(backend).database(), JournalSettings.defaults(), CommitListener.NONE, clock)) {
            String terminal = Requests.newTerminalId();
            io.isoswitch.settlement.journal.Outcome standIn = new io.isoswitch.settlement.journal.Outcome(
                    TransactionState.STAND_IN_APPROVED, "00", "S12345", null);
            approved = journal.recordResolved(purchase("node-a", terminal, stan(1), 700L, issuer), standIn,
                    SafRequest.advice(issuer, "0220", 700L, "840")).join().entry().id();
            posted = journal.recordResolved(purchase("node-a", terminal, stan(2), 300L, issuer), standIn,
                    SafRequest.advice(issuer, "0220", 300L, "840")).join().entry().id();
        }
        StoreAndForwardQueue queue = queue(backend);
        SafEntry first = queue.claimNext(issuer, "consumer-1", LEASE).join().orElseThrow();
        assertThat(queue.acknowledge(first, "05").join()).isTrue();
        assertThat(queue.acknowledge(first, "05").join()).as("a second acknowledgement changes nothing").isFalse();
        SafEntry second = queue.claimNext(issuer, "consumer-1", LEASE).join().orElseThrow();
        assertThat(queue.acknowledge(second, null).join()).isTrue();

        assertThat(queue.claimNext(issuer, "consumer-1", LEASE).join()).isEmpty();
        List<DeclinedAdvice> declined = queue.declinedAdvices(Requests.BUSINESS_DATE).join();
        assertThat(declined).extracting(DeclinedAdvice::journalId).contains(approved).doesNotContain(posted);
        DeclinedAdvice mine = declined.stream().filter(d -> d.journalId().equals(approved)).findFirst().orElseThrow();
        assertThat(mine.responseCode()).isEqualTo("05");
        assertThat(mine.amountMinor()).isEqualTo(700L);
        assertThat(mine.issuerId()).isEqualTo(issuer);
        assertThat(queue.attempts(first.id()).join()).extracting(SafAttempt::outcome, SafAttempt::detail)
                .containsExactly(tuple(SafAttempt.Outcome.ACKNOWLEDGED, "advice declined 05"));
        assertThat(new JournalReader(on(backend).database()).findById(approved).join().orElseThrow().state())
                .as("the terminal's approval stands").isEqualTo(TransactionState.STAND_IN_APPROVED);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void issuersAreIndependentQueues(Backend backend) {
        String slow = issuer("slow", backend);
        String fast = issuer("fast", backend);
        queueReversals(backend, slow, 1);
        UUID fastId = queueReversals(backend, fast, 1).getFirst();
        StoreAndForwardQueue queue = queue(backend);

        queue.claimNext(slow, "consumer-1", LEASE).join().orElseThrow();
        assertThat(queue.claimNext(fast, "consumer-2", LEASE).join()).map(e -> e.original().id()).contains(fastId);
        assertThat(queue.issuersWithPending().join()).contains(slow, fast);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void summarizesAnIssuersQueueAsCountOldestAndHeadWithItsLastError(Backend backend) {
        String issuer = issuer("summary", backend);
        StoreAndForwardQueue queue = queue(backend);
        assertThat(queue.summary(issuer).join()).isEqualTo(SafSummary.empty(issuer));
        queueReversals(backend, issuer, 3);
        SafEntry head = queue.claimNext(issuer, "consumer-1", LEASE).join().orElseThrow();
        queue.retryLater(head, clock.instant().plusSeconds(60), "no answer").join();

        SafSummary summary = queue.summary(issuer).join();

        assertThat(summary.pending()).isEqualTo(3);
        assertThat(summary.oldestCreatedAt()).isEqualTo(head.createdAt());
        SafSummary.Head first = summary.head();
        assertThat(first.id()).isEqualTo(head.id());
        assertThat(first.kind()).isEqualTo(SafKind.REVERSAL);
        assertThat(first.reasonCode()).isEqualTo("68");
        assertThat(first.amountMinor()).isEqualTo(100L);
        assertThat(first.currency()).isEqualTo("840");
        assertThat(first.attempts()).isEqualTo(1);
        assertThat(first.lastError()).isEqualTo("no answer");
        assertThat(first.nextAttemptAt()).isEqualTo(clock.instant().plusSeconds(60));
    }
}
