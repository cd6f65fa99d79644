package io.isoswitch.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/** Random BIN ranges that never overlap within a length, and PANs that often fall inside them. */
final class RandomTables {
    private RandomTables() {
    }

    /**
     * {@code perLength[i]} ranges of {@code 6 + i} digits: the length's number space is cut into
     * equal slots, and each range lies at a random place inside its own slot.
     */
    static List<BinRange> ranges(SplittableRandom random, int... perLength) {
        List<BinRange> ranges = new ArrayList<>();
        for (int i = 0; i < perLength.length; i++) {
            int digits = BinRange.MIN_DIGITS + i;
            int count = perLength[i];
            if (count == 0) {
                continue;
            }
            long slot = BinRange.pow10(digits) / count;
            for (int k = 0; k < count; k++) {
                long low = k * slot + random.nextLong(slot);
                long high = low + random.nextLong(k * slot + slot - low);
                ranges.add(new BinRange(low, high, digits));
            }
        }
        return ranges;
    }

    /** A 16-digit PAN: mostly starting at, just outside, or inside one of the ranges; else random. */
    static String pan(SplittableRandom random, List<BinRange> ranges) {
        StringBuilder pan = new StringBuilder(16);
        if (!ranges.isEmpty() && random.nextInt(4) != 0) {
            BinRange range = ranges.get(random.nextInt(ranges.size()));
            long bin = switch (random.nextInt(5)) {
                case 0 -> range.low();
                case 1 -> range.high();
                case 2 -> Math.max(0, range.low() - 1);
                case 3 -> Math.min(BinRange.pow10(range.digits()) - 1, range.high() + 1);
                default -> range.low() + random.nextLong(range.high() - range.low() + 1);
            };
            String text = Long.toString(bin);
            pan.append("0".repeat(range.digits() - text.length())).append(text);
        }
        while (pan.length() < 16) {
            pan.append((char) ('0' + random.nextInt(10)));
        }
        return pan.toString();
    }

    /** The same for tests that hold a java.util.Random. */
    static SplittableRandom splittable(Random seed) {
        return new SplittableRandom(seed.nextLong());
    }
}
