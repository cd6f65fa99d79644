package io.isoswitch.settlement.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JournalIdsTest {
    @Test
    void anIdIsAnRfc9562Version7UuidCarryingTheMillisecondItWasMadeIn() {
        long before = System.currentTimeMillis();
        UUID id = JournalIds.next();
        long after = System.currentTimeMillis();

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isBetween(before, after);
    }

    @Test
    void idsMadeInLaterMillisecondsSortAfterEarlierOnesAsTheDatabaseComparesThem() throws InterruptedException {
        UUID first = JournalIds.next();
        Thread.sleep(3);
        UUID second = JournalIds.next();

        // PostgreSQL and H2 order uuids by their bytes, i.e. by the canonical text
        assertThat(second.toString()).isGreaterThan(first.toString());
    }

    @Test
    void idsOfOneMillisecondDifferInTheirRandomBits() {
        Set<UUID> ids = new HashSet<>();
        Set<Long> randomTails = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            UUID id = JournalIds.next();
            ids.add(id);
            randomTails.add(id.getLeastSignificantBits());
        }

        assertThat(ids).hasSize(100_000);
        assertThat(randomTails).hasSize(100_000);
    }
}
