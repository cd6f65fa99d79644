package io.isoswitch.settlement.journal;

import static io.isoswitch.settlement.Requests.purchase;
import static io.isoswitch.settlement.Requests.stan;
import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.settlement.Backend;
import io.isoswitch.settlement.BothDatabases;
import io.isoswitch.testkit.time.MutableClock;
import io.isoswitch.settlement.Requests;
import io.isoswitch.settlement.db.JournalDatabase;
import io.isoswitch.settlement.saf.SafEntry;
import io.isoswitch.settlement.saf.SafRequest;
import io.isoswitch.settlement.saf.StoreAndForwardQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class NodeLeasesTest extends BothDatabases {
    private static final Duration LEASE = Duration.ofSeconds(15);

    private static Optional<SafRequest> reversalFor(JournalEntry entry) {
        JournalRequest r = entry.request();
        return r.transactionType().equals("BALANCE_INQUIRY") ? Optional.empty()
                : Optional.of(SafRequest.reversal(r.issuer().issuerId(), "68", r.amountMinor(), r.currency()));
    }

    private static String name(String what, Backend backend) {
        return what + "-" + backend.name().toLowerCase(Locale.ROOT);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void survivorsRacingForADeadNodeQueueOneReversalPerSentRecordAndFreeItsDeliveryLeases(Backend backend) {
        JournalDatabase database = on(backend).database();
        MutableClock clock = MutableClock.startingNow();
        String issuer = name("takeover", backend);
        String dead = name("dead", backend);
        String alive = name("alive", backend);
        String other = name("other", backend);
        String terminal = Requests.newTerminalId();
        NodeLeases leases = new NodeLeases(database, clock);
        StoreAndForwardQueue queue = new StoreAndForwardQueue(database, clock);
        leases.renew(dead, LEASE).join();
        List<UUID> deadSent = new ArrayList<>();
        UUID aliveSent;
        UUID inquiry;
        try (Journal journal = new Journal(database, JournalSettings.defaults(), CommitListener.NONE, clock)) {
            // the dead node was delivering a reversal when it died: it holds that entry's lease
            UUID delivering = journal.recordSent(purchase(dead, terminal, stan(1), 100, issuer)).join().entry().id();
            new CrashRecovery(database, clock).resolveUnanswered(dead, clock.instant().plusSeconds(1), NodeLeasesTest::reversalFor).join();
            assertThat(queue.claimNext(issuer, dead, Duration.ofMinutes(5)).join()).isPresent();
            deadSent.add(journal.recordSent(purchase(dead, terminal, stan(2), 2_000, issuer)).join().entry().id());
            deadSent.add(journal.recordSent(purchase(dead, terminal, stan(3), 3_000, issuer)).join().entry().id());
            inquiry = journal.recordSent(Requests.balanceInquiry(dead, terminal, stan(4), issuer)).join().entry().id();
            aliveSent = journal.recordSent(purchase(alive, terminal, stan(5), 5_000, issuer)).join().entry().id();
            assertThat(delivering).isNotNull();
        }

        clock.advance(LEASE.minusSeconds(1));
        assertThat(takenOver(leases, alive, dead)).as("its lease still runs").isEmpty();
        clock.advance(Duration.ofSeconds(2));
        leases.renew(alive, LEASE).join();
        try (JournalDatabase otherNode = on(backend).openAnotherNode()) {
            NodeLeases otherLeases = new NodeLeases(otherNode, clock);
            CompletableFuture<List<NodeLeases.TakeOver>> first = leases.takeOverDead(alive, NodeLeasesTest::reversalFor);
            CompletableFuture<List<NodeLeases.TakeOver>> second = otherLeases.takeOverDead(other, NodeLeasesTest::reversalFor);
            List<NodeLeases.TakeOver> all = new ArrayList<>(first.join());
            all.addAll(second.join());
            all.removeIf(t -> !t.deadNodeId().equals(dead)); // the class's tests share a schema
            assertThat(all).as("one survivor takes the dead node over").hasSize(1);
            NodeLeases.TakeOver takeOver = all.getFirst();
            assertThat(takeOver.deadNodeId()).isEqualTo(dead);
            assertThat(takeOver.resolved().reversalQueued()).extracting(JournalEntry::id).containsExactlyElementsOf(deadSent);
            assertThat(takeOver.resolved().timedOut()).extracting(JournalEntry::id).containsExactly(inquiry);
            assertThat(takeOver.safLeasesReleased()).isEqualTo(1);
        }
        assertThat(takenOver(leases, other, dead)).as("taken over already").isEmpty();

        JournalReader reader = new JournalReader(database);
        for (UUID id : deadSent) {
            assertThat(reader.findById(id).join().orElseThrow().state()).isEqualTo(TransactionState.REVERSAL_PENDING);
        }
        assertThat(reader.findById(aliveSent).join().orElseThrow().state()).as("a live node's request waits for its answer")
                .isEqualTo(TransactionState.SENT);
        List<SafEntry> pending = queue.pending(issuer).join();
        assertThat(pending).extracting(e -> e.request().amountMinor()).containsExactly(100L, 2_000L, 3_000L);
        // the entry the dead node held is free now, well before its five-minute lease would have run out
        assertThat(queue.claimNext(issuer, alive, Duration.ofMinutes(1)).join()).map(e -> e.request().amountMinor()).contains(100L);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aNodeThatRenewsItsLeaseIsNeverTakenOverAndOneThatComesBackCanBeTakenOverAgain(Backend backend) {
        JournalDatabase database = on(backend).database();
        MutableClock clock = MutableClock.startingNow();
        String issuer = name("comeback", backend);
        String node = name("flaky", backend);
        String watcher = name("watcher", backend);
        String terminal = Requests.newTerminalId();
        NodeLeases leases = new NodeLeases(database, clock);
        try (Journal journal = new Journal(database, JournalSettings.defaults(), CommitListener.NONE, clock)) {
            for (int round = 0; round < 5; round++) {
                leases.renew(node, LEASE).join();
                clock.advance(LEASE.minusSeconds(1));
                assertThat(takenOver(leases, watcher, node)).isEmpty();
            }
            clock.advance(Duration.ofSeconds(2));
            assertThat(takenOver(leases, watcher, node)).hasSize(1);
            // it restarts under its id, sends a request and dies again
            leases.renew(node, LEASE).join();
            UUID later = journal.recordSent(purchase(node, terminal, stan(1), 700, issuer)).join().entry().id();
            clock.advance(LEASE.plusSeconds(1));
            List<NodeLeases.TakeOver> again = takenOver(leases, watcher, node);
            assertThat(again).singleElement().satisfies(t ->
                    assertThat(t.resolved().reversalQueued()).extracting(JournalEntry::id).containsExactly(later));
        }
    }

    /** The take-overs of {@code node} among what {@code watcher} took over (the class's tests share a schema). */
    private static List<NodeLeases.TakeOver> takenOver(NodeLeases leases, String watcher, String node) {
        return leases.takeOverDead(watcher, NodeLeasesTest::reversalFor).join().stream()
                .filter(t -> t.deadNodeId().equals(node)).toList();
    }
}
