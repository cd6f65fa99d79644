package io.isoswitch.settlement.stan;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.settlement.Backend;
import io.isoswitch.settlement.BothDatabases;
import io.isoswitch.settlement.db.JournalDatabase;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class IssuerStanBlocksTest extends BothDatabases {

    @ParameterizedTest
    @EnumSource(Backend.class)
    void twoNodesTakingAtOnceNeverGetTheSameBlock(Backend backend) {
        String issuer = "bank-" + backend.name().toLowerCase(java.util.Locale.ROOT);
        try (JournalDatabase otherNode = on(backend).openAnotherNode()) {
            IssuerStanBlocks nodeA = new IssuerStanBlocks(on(backend).database(), Clock.systemUTC());
            IssuerStanBlocks nodeB = new IssuerStanBlocks(otherNode, Clock.systemUTC());
            List<CompletableFuture<Long>> taken = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                taken.add((i % 2 == 0 ? nodeA : nodeB).next(issuer));
            }
            List<Long> blocks = taken.stream().map(CompletableFuture::join).sorted().toList();
            assertThat(blocks).doesNotHaveDuplicates().hasSize(40).first().isEqualTo(0L);
            assertThat(blocks).last().isEqualTo(39L);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void eachIssuerCountsItsOwnBlocks(Backend backend) {
        IssuerStanBlocks blocks = new IssuerStanBlocks(on(backend).database(), Clock.systemUTC());
        assertThat(blocks.next("x-" + backend.ordinal()).join()).isZero();
        assertThat(blocks.next("x-" + backend.ordinal()).join()).isEqualTo(1L);
        assertThat(blocks.next("y-" + backend.ordinal()).join()).isZero();
    }
}
