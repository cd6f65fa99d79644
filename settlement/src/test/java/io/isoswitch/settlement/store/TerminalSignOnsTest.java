package io.isoswitch.settlement.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.settlement.Backend;
import io.isoswitch.settlement.BothDatabases;
import io.isoswitch.settlement.db.JournalDatabase;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TerminalSignOnsTest extends BothDatabases {

    @ParameterizedTest
    @EnumSource(Backend.class)
    void eachSignOnOfATerminalAtAnyNodeCountsOneMoreGenerationAndAnotherNodeReadsIt(Backend backend) {
        TerminalSignOns nodeA = new TerminalSignOns(on(backend).database());
        try (JournalDatabase other = on(backend).openAnotherNode()) {
            TerminalSignOns nodeB = new TerminalSignOns(other);
            Instant before = nodeB.databaseNow().join();

            assertThat(nodeA.record("T0000001", "node-1").join()).isEqualTo(1);
            assertThat(nodeB.record("T0000001", "node-2").join()).isEqualTo(2);
            assertThat(nodeA.record("T0000002", "node-1").join()).isEqualTo(1);

            TerminalSignOns.Changes changes = nodeA.since(before).join();
            assertThat(changes.signOns()).containsExactlyInAnyOrder(new TerminalSignOns.SignOn("T0000001", 2),
                    new TerminalSignOns.SignOn("T0000002", 1));
            assertThat(changes.databaseNow()).isAfterOrEqualTo(before);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aPollFindsOnlyTheSignOnsRecordedSinceTheInstantItAsksFrom(Backend backend) {
        TerminalSignOns store = new TerminalSignOns(on(backend).database());
        store.record("T0000003", "node-1").join();
        Instant later = store.since(Instant.EPOCH).join().databaseNow().plusSeconds(3_600);
        assertThat(store.since(later).join().signOns()).isEmpty();
    }

    /**
     * The keys a sign-on issued are kept for any node until a later sign-on or a sign-off of the
     * terminal: keys of an older sign-on are never handed out, nor kept over a later one's.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void theKeysOfATerminalsLatestSignOnAreKeptUntilItSignsOnAgainOrOff(Backend backend) {
        TerminalSignOns nodeA = new TerminalSignOns(on(backend).database());
        try (JournalDatabase other = on(backend).openAnotherNode()) {
            TerminalSignOns nodeB = new TerminalSignOns(other);
            long first = nodeA.record("T0000004", "node-1").join();
            Instant issued = Instant.parse("2026-11-29T10:15:30Z");
            TerminalSignOns.Keys keys = new TerminalSignOns.Keys(first, "PIN-BLOCK-1", "MAC-BLOCK-1", null, issued, LocalDate.of(2026, 11, 29));
            assertThat(nodeB.keys("T0000004").join()).as("recorded, not kept yet").isEmpty();

            assertThat(nodeA.keep("T0000004", keys).join()).isTrue();
            assertThat(nodeB.keys("T0000004").join()).get().usingRecursiveComparison().isEqualTo(keys);

            long second = nodeB.record("T0000004", "node-2").join();
            assertThat(nodeA.keys("T0000004").join()).as("a later sign-on's keys are not kept yet").isEmpty();
            assertThat(nodeA.keep("T0000004", keys).join()).as("the older sign-on's keys over the later one's").isFalse();
            TerminalSignOns.Keys later = new TerminalSignOns.Keys(second, "PIN-BLOCK-2", "MAC-BLOCK-2", "DATA-BLOCK-2", issued.plusSeconds(60),
                    null);
            assertThat(nodeB.keep("T0000004", later).join()).isTrue();
            assertThat(nodeA.keys("T0000004").join()).get().usingRecursiveComparison().isEqualTo(later);
            assertThat(nodeA.forget("T0000004", first).join()).as("an older sign-on's keys: gone already").isFalse();
            assertThat(nodeA.keys("T0000004").join()).isPresent();
            assertThat(nodeA.forget("T0000004", second).join()).as("retired at a node").isTrue();
            assertThat(nodeB.keys("T0000004").join()).isEmpty();

            Instant before = nodeA.databaseNow().join();
            assertThat(nodeA.signOff("T0000004", "node-1").join()).isEqualTo(second + 1);
            assertThat(nodeB.keys("T0000004").join()).as("signed off").isEmpty();
            assertThat(nodeB.since(before).join().signOns()).as("the sign-off ends the sessions everywhere")
                    .contains(new TerminalSignOns.SignOn("T0000004", second + 1));
            assertThat(nodeB.keep("T0000004", later).join()).isFalse();
            assertThat(nodeA.signOff("T0000009", "node-1").join()).as("never signed on").isZero();
        }
    }
}
