package io.isoswitch.codec;

import io.isoswitch.codec.spec.MessageSpec;

/**
 * The layouts of the last few bitmaps an {@link IsoMessageView} saw twice (traffic on a
 * connection has few message shapes), and the bookkeeping of the bitmaps that missed. The view
 * checks its last shape itself (the hot case) and asks here only on a miss.
 */
final class ShapeCache {
    /** The bitmaps of the shapes a view remembers: past that, the least recently laid out one is replaced. */
    static final int SHAPES = 4;

    /**
     * A message shape, i.e. one set of bitmaps, laid out once: the fixed fields between two
     * variable ones collapse into one length, so a wrap of a frame of a known shape reads only the
     * variable fields' prefixes. Built from the spec alone (never from frame content), so a shape
     * holds for every frame with the same bitmaps.
     */
    static final class Shape {
        final long[] key = new long[3];
        boolean laidOut;
        /** Per field: its segment in the top 8 bits, its start relative to the segment's in the low 24. */
        final int[] slot = new int[MessageSpec.MAX_FIELD + 1];
        /** The variable fields in ascending order, and the fixed bytes between each one's segment start and it. */
        final int[] variable = new int[MessageSpec.MAX_FIELD + 1];
        final int[] fixedBefore = new int[MessageSpec.MAX_FIELD + 1];
        int variables;
        /** Fixed bytes after the last variable field. */
        int tail;

        /** Lays out the fields of {@code fieldBits}; false when one is undefined or a segment is too long to record. */
        boolean layOut(long[] fieldBits, int[] plan) {
            int segment = 0;
            int relative = 0;
            int count = 0;
            for (int b = 0; b < fieldBits.length; b++) {
                for (long rest = Long.reverse(fieldBits[b]); rest != 0; rest &= rest - 1) {
                    int field = 64 * b + 1 + Long.numberOfTrailingZeros(rest);
                    int wire = plan[field << 2];
                    if (wire == FieldLayout.UNDEFINED || relative > 0xFFFFFF) {
                        return false;
                    }
                    slot[field] = segment << 24 | relative;
                    if (wire >= 0) {
                        relative += wire;
                    } else {
                        variable[count] = field;
                        fixedBefore[count] = relative;
                        count++;
                        segment++;
                        relative = 0;
                    }
                }
            }
            variables = count;
            tail = relative;
            return true;
        }
    }

    private final Shape[] shapes = new Shape[SHAPES];
    private int nextShape;
    // the bitmaps (3 longs each) of the last SHAPES frames that missed the cache: a shape is laid
    // out on its second miss among them, so that a stream cycling through more shapes than the
    // cache holds keeps the field-by-field pass instead of laying out every frame anew
    private final long[] seen = new long[3 * SHAPES];
    private int nextSeen;

    /**
     * Bitmaps other than the last frame's: another cached shape, or a new one laid out from
     * {@code fieldBits} (those bitmaps' fields) when they missed once before among the last few
     * misses, else null (the field-by-field pass).
     */
    Shape miss(long b0, long b1, long b2, long[] fieldBits, int[] plan) {
        for (Shape known : shapes) {
            if (known != null && known.laidOut && known.key[0] == b0 && known.key[1] == b1 && known.key[2] == b2) {
                return known;
            }
        }
        if (!seenBefore(b0, b1, b2)) {
            return null;
        }
        Shape made = shapes[nextShape];
        if (made == null) {
            made = new Shape(); // at most SHAPES per view, then reused
            shapes[nextShape] = made;
        }
        if (!made.layOut(fieldBits, plan)) {
            made.laidOut = false; // its slots are overwritten: it matches nothing until laid out again
            return null;
        }
        made.laidOut = true;
        made.key[0] = b0;
        made.key[1] = b1;
        made.key[2] = b2;
        nextShape = (nextShape + 1) % SHAPES;
        return made;
    }

    /** Whether the bitmaps missed the cache among the last few misses; records them if not. */
    private boolean seenBefore(long b0, long b1, long b2) {
        for (int i = 0; i < seen.length; i += 3) {
            if (seen[i] == b0 && seen[i + 1] == b1 && seen[i + 2] == b2) {
                return true;
            }
        }
        seen[nextSeen] = b0;
        seen[nextSeen + 1] = b1;
        seen[nextSeen + 2] = b2;
        nextSeen = (nextSeen + 3) % seen.length;
        return false;
    }
}
