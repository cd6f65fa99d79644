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
    void idsMadeInLaterMillisecondsSortAfterEarlierOnesAsTheDatabaseComparesThem() {
        UUID first = JournalIds.next();
        afterTheNextMillisecond();
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

    /** Returns once the wall clock, which the ids carry, shows a later millisecond than at the call. */
    static void afterTheNextMillisecond() {
        long now = System.currentTimeMillis();
        while (System.currentTimeMillis() <= now) {
            Thread.onSpinWait();
        }
    }
}
