package io.isoswitch.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** Laws of BIN lookup on random tables. */
class RoutingProperties {
    /** How many ranges of 6, 7, 8 and 11 digits a random table holds. */
    record Shape(int six, int seven, int eight, int eleven) {
    }

    @Test
    void trieAgreesWithALinearScan() {
        Gen<Shape> shapes = integers().between(0, 40).zip(integers().between(0, 10), integers().between(0, 40),
                integers().between(0, 40), Shape::new);
        qt().withExamples(300).forAll(longs().all(), shapes).checkAssert((seed, shape) -> {
            SplittableRandom random = new SplittableRandom(seed);
            List<BinRange> ranges = RandomTables.ranges(random, shape.six(), shape.seven(), shape.eight(), 0, 0, shape.eleven());
            BinTrie trie = new BinTrie(ranges);
            for (int i = 0; i < 200; i++) {
                String pan = RandomTables.pan(random, ranges);
                assertThat(trie.find(pan)).as(pan).isEqualTo(linearScan(ranges, pan));
            }
        });
    }

    @Test
    void aLookupVisitsAtMostOneNodePerDigitRead() {
        qt().withExamples(200).forAll(longs().all(), integers().between(1, 60), integers().between(0, 19))
                .checkAssert((seed, perLength, panLength) -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    List<BinRange> ranges = RandomTables.ranges(random, perLength, perLength, perLength, perLength, perLength, perLength);
                    BinTrie trie = new BinTrie(ranges);
                    for (int i = 0; i < 100; i++) {
                        String pan = RandomTables.pan(random, ranges).substring(0, Math.min(16, panLength));
                        assertThat(trie.nodesVisited(pan)).isLessThanOrEqualTo(Math.min(pan.length(), BinRange.MAX_DIGITS));
                    }
                });
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
