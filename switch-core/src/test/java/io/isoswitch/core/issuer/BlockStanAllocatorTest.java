package io.isoswitch.core.issuer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BlockStanAllocatorTest {

    @Test
    void aBlockNumberNamesItsThousandStans() {
        AtomicLong block = new AtomicLong(5);
        BlockStanAllocator stans = new BlockStanAllocator(() -> CompletableFuture.completedFuture(block.getAndIncrement()));
        assertThat(stans.next(s -> false)).isEqualTo(5_001);
        assertThat(stans.next(s -> false)).isEqualTo(5_002);
    }

    @Test
    void twoAllocatorsOnOneCounterNeverShareAStan() {
        AtomicLong counter = new AtomicLong();
        BlockStanAllocator a = new BlockStanAllocator(() -> CompletableFuture.completedFuture(counter.getAndIncrement()));
        BlockStanAllocator b = new BlockStanAllocator(() -> CompletableFuture.completedFuture(counter.getAndIncrement()));
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 5_000; i++) {
            assertThat(seen.add(a.next(s -> false))).isTrue();
            assertThat(seen.add(b.next(s -> false))).isTrue();
        }
        assertThat(seen).allMatch(s -> s >= 1 && s <= StanAllocator.MAX_STAN);
    }

    @Test
    void aStanInUseIsSkipped() {
        BlockStanAllocator stans = new BlockStanAllocator(() -> CompletableFuture.completedFuture(0L));
        assertThat(stans.next(s -> s == 1)).isEqualTo(2);
    }

    @Test
    void whenTheNextBlockHasNotArrivedTheRequestIsRefusedNotGivenAnOldStan() {
        Deque<CompletableFuture<Long>> fetches = new ArrayDeque<>();
        fetches.add(CompletableFuture.completedFuture(0L));
        CompletableFuture<Long> slow = new CompletableFuture<>();
        fetches.add(slow);
        BlockStanAllocator stans = new BlockStanAllocator(fetches::poll);
        for (int i = 1; i <= BlockStanAllocator.BLOCK_SIZE; i++) {
            assertThat(stans.next(s -> false)).isEqualTo(i);
        }
        assertThatThrownBy(() -> stans.next(s -> false)).isInstanceOf(IllegalStateException.class);
        slow.complete(7L);
        assertThat(stans.next(s -> false)).isEqualTo(7_001);
    }

    @Test
    void blockNumbersWrapAfterTheLastWholeBlock() {
        BlockStanAllocator stans = new BlockStanAllocator(() -> CompletableFuture.completedFuture(999L));
        assertThat(stans.next(s -> false)).isEqualTo(1);
    }
}
