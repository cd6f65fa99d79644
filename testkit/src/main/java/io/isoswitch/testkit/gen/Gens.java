package io.isoswitch.testkit.gen;

import static org.quicktheories.generators.SourceDSL.lists;

import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * QuickTheories generators shaped like the ones property tests need on wire data. QuickTheories
 * draws uniformly and visits its boundaries only in the first examples, so these mix edge cases
 * (empty, shortest, longest, 0, -1, extremes) and small values into every run: uniform draws over
 * a wide range would almost never produce the short arrays and small numbers where parsers and
 * rounding break.
 */
public final class Gens {
    /** Share, in percent, of draws taken from the edge cases. */
    private static final int EDGE_PERCENT = 10;
    /** Share, in percent, of sizes drawn from the shortest few. */
    private static final int SMALL_PERCENT = 40;
    private static final int SMALL_SPAN = 16;
    private static final HexFormat HEX = HexFormat.of();

    private Gens() {
    }

    /** {@code gen}, with one draw in ten taken from {@code edges} instead. */
    public static <T> Gen<T> withEdgeCases(Gen<T> gen, List<T> edges) {
        return Generate.frequency(Pair.of(100 - EDGE_PERCENT, gen), Pair.of(EDGE_PERCENT, Generate.pick(edges)));
    }

    /** Any byte, with 0, 1, -1 and both extremes often. */
    public static Gen<Byte> bytes() {
        return withEdgeCases(Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0),
                List.of((byte) 0, (byte) 1, (byte) -1, Byte.MIN_VALUE, Byte.MAX_VALUE));
    }

    /** Any int, with 0, 1, -1 and both extremes often. */
    public static Gen<Integer> ints() {
        return withEdgeCases(Generate.range(Integer.MIN_VALUE, Integer.MAX_VALUE, 0),
                List.of(0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE));
    }

    /** Any long, with 0, 1, -1 and both extremes often. */
    public static Gen<Long> longs() {
        return withEdgeCases(Generate.longRange(Long.MIN_VALUE, Long.MAX_VALUE, 0),
                List.of(0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE));
    }

    /**
     * A long in [min, max], biased toward min: the upper bound of each draw is a random power of
     * ten, so every order of magnitude is as likely as any other, and the bounds come often.
     */
    public static Gen<Long> longsBetween(long min, long max) {
        if (min < 0 || max < min) {
            throw new IllegalArgumentException("longsBetween needs 0 <= min <= max, got " + min + ".." + max);
        }
        Gen<Long> byMagnitude = Generate.range(0, 18).flatMap(exponent -> {
            long span = Math.min(max - min, pow10(exponent));
            return Generate.longRange(min, min + span);
        });
        Gen<Long> uniform = Generate.longRange(min, max);
        return withEdgeCases(Generate.oneOf(byMagnitude, uniform), List.of(min, Math.min(min + 1, max), max));
    }

    /** A size in [min, max]: the bounds often, the shortest few often, otherwise uniform. */
    public static Gen<Integer> sizes(int min, int max) {
        Gen<Integer> small = Generate.range(min, Math.min(max, min + SMALL_SPAN));
        Gen<Integer> uniform = Generate.range(min, max);
        return withEdgeCases(Generate.frequency(Pair.of(SMALL_PERCENT, small), Pair.of(100 - SMALL_PERCENT, uniform)),
                List.of(min, Math.min(min + 1, max), max));
    }

    /** Byte arrays of a length in [minLength, maxLength], shown as hex when a property fails. */
    public static Gen<byte[]> byteArrays(int minLength, int maxLength) {
        return byteArrays(sizes(minLength, maxLength));
    }

    /** Byte arrays of the lengths {@code lengths} draws, shown as hex when a property fails. */
    public static Gen<byte[]> byteArrays(Gen<Integer> lengths) {
        return Generate.byteArrays(lengths, bytes()).describedAs(Gens::hex);
    }

    /** Lists of a size in [minSize, maxSize] drawn like {@link #sizes}. */
    public static <T> Gen<List<T>> listsOf(Gen<T> element, int minSize, int maxSize) {
        return lists().of(element).ofSizes(sizes(minSize, maxSize));
    }

    /** Lists of byte arrays, shown as hex when a property fails. */
    public static Gen<List<byte[]>> byteArrayLists(int minSize, int maxSize, int minLength, int maxLength) {
        return listsOf(byteArrays(minLength, maxLength), minSize, maxSize)
                .describedAs(list -> list.stream().map(Gens::hex).collect(Collectors.joining(", ", "[", "]")));
    }

    /** Strings of decimal digits of a length in [minLength, maxLength], all-zero and all-nine often. */
    public static Gen<String> numericStrings(int minLength, int maxLength) {
        Gen<String> digits = lists().of(Generate.characters('0', '9')).ofSizes(sizes(minLength, maxLength))
                .map(chars -> chars.stream().map(String::valueOf).collect(Collectors.joining()));
        return withEdgeCases(digits,
                List.of("0".repeat(minLength), "9".repeat(minLength), "0".repeat(maxLength), "9".repeat(maxLength)));
    }

    public static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    private static long pow10(int exponent) {
        long value = 1;
        for (int i = 0; i < exponent; i++) {
            value *= 10;
        }
        return value;
    }
}
