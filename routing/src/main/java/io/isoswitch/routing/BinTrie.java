package io.isoswitch.routing;

import java.util.Arrays;
import java.util.List;

/**
 * A decimal digit trie over BIN ranges: finds the longest range containing a PAN by reading at
 * most {@link BinRange#MAX_DIGITS} of its digits, whatever the number of ranges.
 *
 * <p>A range is stored as a few marks. A mark on digit {@code d} of the node for prefix {@code P}
 * says "every PAN starting with {@code P d} lies in range r". A range {@code lo..hi} splits where
 * its bounds first differ, like an IP range split into CIDR blocks, but with whole digit intervals
 * per node, so it needs at most 2 marks per digit position:
 *
 * <pre>
 * 62258812..62258997   8 digits; the bounds part at position 5 (8 against 9)
 *   low side:   6225881 [2..9]   622588 [2..9]     = 62258812..62258899
 *   high side:  622589 [0..8]    6225899 [0..7]    = 62258900..62258997
 * </pre>
 *
 * <p>("P [a..b]" is a mark on digits a to b of the node for prefix P.) A range whose low bound
 * ends in zeros or whose high bound ends in nines needs fewer marks: {@code 62258800..62258899}
 * is the single mark {@code 622588 [0..9]}.
 *
 * <p>A lookup walks the PAN's digits from the root, at each node looks at the mark on that digit,
 * and keeps the longest range seen. When two ranges of different lengths mark the same digit of
 * the same node, both cover everything below it, so only the longer is kept. Ranges of the same
 * length must not overlap (the caller checks, see {@link RoutingTable}).
 *
 * <p>Nodes live in pages of flat int arrays (10 slots per node), not objects: no per-node object
 * headers, growth without copying, and a lookup touches a handful of cache lines. A million
 * random ranges take about 5 million nodes (80 bytes each).
 */
final class BinTrie {
    private static final int FANOUT = 10;
    private static final int NONE = 0;
    private static final int PAGE_SHIFT = 12;
    private static final int NODES_PER_PAGE = 1 << PAGE_SHIFT;
    private static final int PAGE_MASK = NODES_PER_PAGE - 1;

    /** children pages: slot (node, digit) holds the child node, or NONE (node 0 is the root). */
    private int[][] children = new int[1][];
    /** marks pages: slot (node, digit) holds 1 + the index of the longest range covering it, or NONE. */
    private int[][] marks = new int[1][];
    private int nodeCount;
    private final byte[] rangeDigits;
    /** The digits of the bounds of the range being inserted (build time only). */
    private final int[] lowDigits = new int[BinRange.MAX_DIGITS];
    private final int[] highDigits = new int[BinRange.MAX_DIGITS];

    /** Builds the trie; {@code ranges.get(i)} is found as index {@code i}. */
    BinTrie(List<BinRange> ranges) {
        nodeCount = 0;
        newNode();
        rangeDigits = new byte[ranges.size()];
        for (int i = 0; i < ranges.size(); i++) {
            rangeDigits[i] = (byte) ranges.get(i).digits();
            insert(ranges.get(i), i);
        }
    }

    /** The index of the longest range containing the PAN, or -1. Allocates nothing. */
    int find(CharSequence pan) {
        return (int) walk(pan);
    }

    /** How many trie nodes a lookup of {@code pan} visits: the structural cost of a lookup. */
    int nodesVisited(CharSequence pan) {
        return (int) (walk(pan) >>> 32);
    }

    /** Nodes in the trie. */
    int nodeCount() {
        return nodeCount;
    }

    /** Walks the PAN; returns visits in the high half and the best range index (or -1) in the low. */
    private long walk(CharSequence pan) {
        int length = pan.length();
        int depthLimit = Math.min(length, BinRange.MAX_DIGITS);
        int node = 0;
        int best = -1;
        int bestDigits = 0;
        int visits = 0;
        for (int depth = 0; depth < depthLimit; depth++) {
            int digit = pan.charAt(depth) - '0';
            if (digit < 0 || digit > 9) {
                break;
            }
            visits++;
            int page = node >>> PAGE_SHIFT;
            int slot = (node & PAGE_MASK) * FANOUT + digit;
            int mark = marks[page][slot];
            if (mark != NONE) {
                int digits = rangeDigits[mark - 1];
                if (digits > bestDigits && digits <= length) {
                    best = mark - 1;
                    bestDigits = digits;
                }
            }
            node = children[page][slot];
            if (node == NONE) {
                break;
            }
        }
        return ((long) visits << 32) | (best & 0xFFFF_FFFFL);
    }

    private void insert(BinRange range, int index) {
        int length = range.digits();
        for (int position = 0; position < length; position++) {
            lowDigits[position] = range.lowDigit(position);
            highDigits[position] = range.highDigit(position);
        }
        int split = 0;
        while (split < length && lowDigits[split] == highDigits[split]) {
            split++;
        }
        if (split == length) {
            // a single BIN: the last digit of its path
            mark(lowDigits, length - 1, lowDigits[length - 1], lowDigits[length - 1], index);
            return;
        }
        boolean lowIsBlockStart = restIs(lowDigits, length, split + 1, 0);
        boolean highIsBlockEnd = restIs(highDigits, length, split + 1, 9);
        int from = lowDigits[split] + (lowIsBlockStart ? 0 : 1);
        int to = highDigits[split] - (highIsBlockEnd ? 0 : 1);
        if (from <= to) {
            mark(lowDigits, split, from, to, index);
        }
        if (!lowIsBlockStart) {
            markSide(lowDigits, length, true, split + 1, index);
        }
        if (!highIsBlockEnd) {
            markSide(highDigits, length, false, split + 1, index);
        }
    }

    /**
     * Marks what lies on one side of a bound below position {@code start}: on the low side every
     * suffix at or above the low bound's, on the high side every suffix at or below the high's.
     */
    private void markSide(int[] bound, int length, boolean low, int start, int index) {
        for (int position = start; position < length; position++) {
            int digit = bound[position];
            boolean last = position == length - 1 || restIs(bound, length, position + 1, low ? 0 : 9);
            if (last) {
                mark(bound, position, low ? digit : 0, low ? 9 : digit, index);
                return;
            }
            if (low && digit < 9) {
                mark(bound, position, digit + 1, 9, index);
            } else if (!low && digit > 0) {
                mark(bound, position, 0, digit - 1, index);
            }
        }
    }

    /** Marks digits {@code from..to} of the node for the first {@code position} digits of {@code bound}. */
    private void mark(int[] bound, int position, int from, int to, int index) {
        int node = 0;
        for (int depth = 0; depth < position; depth++) {
            int[] page = children[node >>> PAGE_SHIFT];
            int slot = (node & PAGE_MASK) * FANOUT + bound[depth];
            if (page[slot] == NONE) {
                page[slot] = newNode();
            }
            node = page[slot];
        }
        int[] page = marks[node >>> PAGE_SHIFT];
        int base = (node & PAGE_MASK) * FANOUT;
        for (int digit = from; digit <= to; digit++) {
            int existing = page[base + digit];
            if (existing == NONE || rangeDigits[existing - 1] < rangeDigits[index]) {
                page[base + digit] = index + 1;
            }
        }
    }

    private static boolean restIs(int[] bound, int length, int from, int digit) {
        for (int position = from; position < length; position++) {
            if (bound[position] != digit) {
                return false;
            }
        }
        return true;
    }

    /** Adds a node; pages are added whole, so existing pages never move. */
    private int newNode() {
        int node = nodeCount++;
        int page = node >>> PAGE_SHIFT;
        if (page == children.length) {
            children = Arrays.copyOf(children, page * 2);
            marks = Arrays.copyOf(marks, page * 2);
        }
        if (children[page] == null) {
            children[page] = new int[NODES_PER_PAGE * FANOUT];
            marks[page] = new int[NODES_PER_PAGE * FANOUT];
        }
        return node;
    }
}
