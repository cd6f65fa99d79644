package io.isoswitch.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A million random BIN ranges: a lookup still visits at most one trie node per PAN digit read
 * and never more than 11, and agrees with an independent oracle (binary search per length).
 */
class MillionRangesTest {
    private static final int[] PER_LENGTH = {50_000, 100_000, 150_000, 200_000, 250_000, 250_000};
    private static final int LOOKUPS = 20_000;

    private static List<BinRange> ranges;
    private static BinTrie trie;

    @BeforeAll
    static void build() {
        ranges = RandomTables.ranges(new SplittableRandom(8583), PER_LENGTH);
        trie = new BinTrie(ranges);
    }

    @Test
    void holdsAMillionRanges() {
        assertThat(ranges).hasSize(1_000_000);
        System.out.println("trie nodes for 1,000,000 random ranges: " + trie.nodeCount());
    }

    @Test
    void visitsAtMostOneNodePerPanDigitAndNeverMoreThanEleven() {
        SplittableRandom random = new SplittableRandom(1);
        int maxVisited = 0;
        for (int i = 0; i < LOOKUPS; i++) {
            String pan = RandomTables.pan(random, ranges);
            int visited = trie.nodesVisited(pan);
            assertThat(visited).isLessThanOrEqualTo(Math.min(pan.length(), BinRange.MAX_DIGITS));
            maxVisited = Math.max(maxVisited, visited);
        }
        assertThat(maxVisited).isEqualTo(BinRange.MAX_DIGITS);
        assertThat(trie.nodesVisited("6225")).isLessThanOrEqualTo(4);
    }

    @Test
    void agreesWithBinarySearchPerLength() {
        Oracle oracle = new Oracle(ranges);
        SplittableRandom random = new SplittableRandom(2);
        int matched = 0;
        for (int i = 0; i < LOOKUPS; i++) {
            String pan = RandomTables.pan(random, ranges);
            int found = trie.find(pan);
            int expected = oracle.find(pan);
            assertThat(found).as(pan).isEqualTo(expected);
            if (found >= 0) {
                matched++;
            }
        }
        assertThat(matched).as("the PANs exercise matches, not only misses").isGreaterThan(LOOKUPS / 2);
    }

    /** Longest match by binary search over each length's sorted ranges. */
    private static final class Oracle {
        private final long[][] lows = new long[BinRange.MAX_DIGITS + 1][];
        private final long[][] highs = new long[BinRange.MAX_DIGITS + 1][];
        private final int[][] indexes = new int[BinRange.MAX_DIGITS + 1][];

        Oracle(List<BinRange> ranges) {
            for (int digits = BinRange.MIN_DIGITS; digits <= BinRange.MAX_DIGITS; digits++) {
                List<Integer> ofLength = new ArrayList<>();
                for (int i = 0; i < ranges.size(); i++) {
                    if (ranges.get(i).digits() == digits) {
                        ofLength.add(i);
                    }
                }
                ofLength.sort((a, b) -> Long.compare(ranges.get(a).low(), ranges.get(b).low()));
                indexes[digits] = ofLength.stream().mapToInt(Integer::intValue).toArray();
                lows[digits] = Arrays.stream(indexes[digits]).mapToLong(i -> ranges.get(i).low()).toArray();
                highs[digits] = Arrays.stream(indexes[digits]).mapToLong(i -> ranges.get(i).high()).toArray();
            }
        }

        int find(String pan) {
            for (int digits = BinRange.MAX_DIGITS; digits >= BinRange.MIN_DIGITS; digits--) {
                long bin = Long.parseLong(pan.substring(0, digits));
                int at = Arrays.binarySearch(lows[digits], bin);
                int candidate = at >= 0 ? at : -at - 2;
                if (candidate >= 0 && highs[digits][candidate] >= bin) {
                    return indexes[digits][candidate];
                }
            }
            return -1;
        }
    }
}
