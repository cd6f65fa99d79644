package io.isoswitch.core.issuer;

import java.util.concurrent.CompletableFuture;
import java.util.function.IntPredicate;
import java.util.function.Supplier;

/**
 * STANs that stay unique for an issuer across restarts and across nodes sharing one database. An
 * issuer takes (acquirer, STAN, date) as a request's identity and answers a second request under
 * the same one from its memory, booking nothing: a node that restarted its STANs at 1, or two
 * nodes counting from 1 side by side, would be told "approved" for money that never moved. So
 * STANs are handed out in blocks of {@link #BLOCK_SIZE} numbered by the database
 * (one counter per issuer, see {@code IssuerStanBlocks}); block {@code b} holds
 * {@code 1 + (b mod 999) * 1000} to {@code (b mod 999) * 1000 + 1000}.
 *
 * <p>The next block is fetched in the background when half of the current one is used, so the
 * caller (an event loop) never waits for the database. A caller that finds both used up before
 * the fetch completes is refused ({@link IllegalStateException}: the request fails, nothing is
 * sent). Numbers repeat only after 999 blocks (999,000 requests to one issuer, across every
 * node and restart). The counter does not follow the date: an issuer link that carries more than
 * that in a day (11.6 requests per second averaged over it) sends STANs of the same day again,
 * which such an issuer answers from memory; six digits allow no more (docs/issuer-links.md).
 */
public final class BlockStanAllocator implements StanSource {
    public static final int BLOCK_SIZE = 1_000;
    private static final int BLOCKS = StanAllocator.MAX_STAN / BLOCK_SIZE;

    private final Supplier<CompletableFuture<Long>> blocks;
    private int next;
    private int end;
    private CompletableFuture<Long> prefetch;

    /** Takes its first block now, waiting for it (call at start, never on an event loop). */
    public BlockStanAllocator(Supplier<CompletableFuture<Long>> blocks) {
        this.blocks = blocks;
        use(blocks.get().join());
    }

    @Override
    public synchronized int next(IntPredicate inUse) {
        for (int tries = 0; tries < 2 * BLOCK_SIZE; tries++) {
            if (next > end) {
                if (prefetch == null || !prefetch.isDone() || prefetch.isCompletedExceptionally()) {
                    prefetchIfIdle();
                    throw new IllegalStateException("no issuer STAN available until the next block arrives from the journal");
                }
                use(prefetch.join());
                prefetch = null;
            }
            int stan = next++;
            if (end - next < BLOCK_SIZE / 2) {
                prefetchIfIdle();
            }
            if (!inUse.test(stan)) {
                return stan;
            }
        }
        throw new IllegalStateException("every STAN of two blocks is in use");
    }

    private void prefetchIfIdle() {
        if (prefetch == null || prefetch.isCompletedExceptionally()) {
            prefetch = blocks.get();
        }
    }

    private void use(long block) {
        int index = (int) Math.floorMod(block, (long) BLOCKS);
        next = 1 + index * BLOCK_SIZE;
        end = index * BLOCK_SIZE + BLOCK_SIZE;
    }
}
