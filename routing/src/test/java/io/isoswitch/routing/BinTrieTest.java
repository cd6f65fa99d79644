package io.isoswitch.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BinTrieTest {
    @Test
    void findsTheEdgesOfARangeThatSplitsOnBothSides() {
        BinTrie trie = new BinTrie(List.of(BinRange.parse("62258812..62258997")));
        assertThat(trie.find("6225881100000000")).isEqualTo(-1);
        assertThat(trie.find("6225881200000000")).isZero();
        assertThat(trie.find("6225889999999999")).isZero();
        assertThat(trie.find("6225890000000000")).isZero();
        assertThat(trie.find("6225899799999999")).isZero();
        assertThat(trie.find("6225899800000000")).isEqualTo(-1);
    }

    @Test
    void storesAnAlignedBlockAsOneMark() {
        BinTrie trie = new BinTrie(List.of(BinRange.parse("62258800..62258899")));
        // root plus the nodes for 6, 62, 622, 6225, 62258, 622588
        assertThat(trie.nodeCount()).isEqualTo(7);
        assertThat(trie.find("6225880000000000")).isZero();
        assertThat(trie.find("6225889999999999")).isZero();
    }

    @Test
    void keepsTheLongerRangeWhereRangesOfDifferentLengthsCoverTheSameDigits() {
        BinTrie trie = new BinTrie(List.of(BinRange.parse("620000..629999"), BinRange.parse("6200000..6299999"),
                BinRange.parse("62258800")));
        assertThat(trie.find("6212345678901234")).isEqualTo(1);
        assertThat(trie.find("6225880012345678")).isEqualTo(2);
        assertThat(trie.find("6225880112345678")).isEqualTo(1);
    }

    @Test
    void readsNoFurtherThanThePanAndStopsAtANonDigit() {
        BinTrie trie = new BinTrie(List.of(BinRange.parse("62258800")));
        assertThat(trie.find("6225880")).as("a PAN shorter than the range").isEqualTo(-1);
        assertThat(trie.find("62258 800")).isEqualTo(-1);
        assertThat(trie.nodesVisited("62258 800")).isEqualTo(5);
        assertThat(trie.nodesVisited("")).isZero();
    }
}
