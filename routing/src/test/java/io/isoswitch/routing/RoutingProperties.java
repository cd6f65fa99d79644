package io.isoswitch.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Laws of BIN lookup on random tables. */
class RoutingProperties {
    @Property(tries = 300)
    void trieAgreesWithALinearScan(@ForAll long seed, @ForAll @IntRange(max = 40) int six,
            @ForAll @IntRange(max = 40) int eight, @ForAll @IntRange(max = 40) int eleven,
            @ForAll @IntRange(max = 10) int seven) {
        SplittableRandom random = new SplittableRandom(seed);
        List<BinRange> ranges = RandomTables.ranges(random, six, seven, eight, 0, 0, eleven);
        BinTrie trie = new BinTrie(ranges);
        for (int i = 0; i < 200; i++) {
            String pan = RandomTables.pan(random, ranges);
            assertThat(trie.find(pan)).as(pan).isEqualTo(linearScan(ranges, pan));
        }
    }

    @Property(tries = 200)
    void aLookupVisitsAtMostOneNodePerDigitRead(@ForAll long seed, @ForAll @IntRange(min = 1, max = 60) int perLength,
            @ForAll @IntRange(min = 0, max = 19) int panLength) {
        SplittableRandom random = new SplittableRandom(seed);
        List<BinRange> ranges = RandomTables.ranges(random, perLength, perLength, perLength, perLength, perLength, perLength);
        BinTrie trie = new BinTrie(ranges);
        for (int i = 0; i < 100; i++) {
            String pan = RandomTables.pan(random, ranges).substring(0, Math.min(16, panLength));
            assertThat(trie.nodesVisited(pan)).isLessThanOrEqualTo(Math.min(pan.length(), BinRange.MAX_DIGITS));
        }
    }

    /** The longest range containing the PAN's leading digits, by trying every range. */
    private static int linearScan(List<BinRange> ranges, String pan) {
        int best = -1;
        for (int i = 0; i < ranges.size(); i++) {
            BinRange range = ranges.get(i);
            if (range.digits() <= pan.length()
                    && range.contains(Long.parseLong(pan.substring(0, range.digits())))
                    && (best < 0 || range.digits() > ranges.get(best).digits())) {
                best = i;
            }
        }
        return best;
    }
}
