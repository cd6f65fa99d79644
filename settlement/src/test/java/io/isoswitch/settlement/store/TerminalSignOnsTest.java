package io.isoswitch.settlement.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.settlement.Backend;
import io.isoswitch.settlement.BothDatabases;
import io.isoswitch.settlement.db.JournalDatabase;
import java.time.Instant;
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
}
