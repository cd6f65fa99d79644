package io.isoswitch.settlement.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.settlement.Backend;
import io.isoswitch.settlement.BothDatabases;
import io.isoswitch.settlement.db.JournalDatabase;
import java.time.Clock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ForcedStandInsTest extends BothDatabases {

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aFlagSetOnOneNodeIsReadByAnotherAndLiftedByIt(Backend backend) {
        ForcedStandIns nodeA = new ForcedStandIns(on(backend).database(), Clock.systemUTC());
        try (JournalDatabase other = on(backend).openAnotherNode()) {
            ForcedStandIns nodeB = new ForcedStandIns(other, Clock.systemUTC());
            assertThat(nodeB.forced().join()).isEmpty();

            nodeA.set("bank-a", true, "node-1").join();
            nodeA.set("bank-b", true, "node-1").join();
            assertThat(nodeB.forced().join()).containsExactlyInAnyOrder("bank-a", "bank-b");

            nodeB.set("bank-a", false, "node-2").join();
            // setting a flag twice is not an error and changes nothing more
            nodeB.set("bank-b", true, "node-2").join();
            assertThat(nodeA.forced().join()).containsExactly("bank-b");
        }
    }
}
