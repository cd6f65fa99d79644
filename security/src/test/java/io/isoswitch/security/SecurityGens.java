package io.isoswitch.security;

import static org.quicktheories.generators.SourceDSL.lists;

import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * QuickTheories generators for keys, data and card numbers. QuickTheories draws uniformly and
 * visits its boundaries only in the first examples, so these mix in edge cases (empty, shortest,
 * longest, all zeros) and short values in every run. A trimmed twin of iso-codec's testkit
 * {@code Gens}: this module has no Netty, so it does not take iso-codec's test-jar.
 */
public final class SecurityGens {
    private static final int EDGE_PERCENT = 10;
    private static final int SMALL_PERCENT = 40;
    private static final int SMALL_SPAN = 16;

    private SecurityGens() {
    }

    public static <T> Gen<T> withEdgeCases(Gen<T> gen, List<T> edges) {
        return Generate.frequency(Pair.of(100 - EDGE_PERCENT, gen), Pair.of(EDGE_PERCENT, Generate.pick(edges)));
    }

    public static Gen<Byte> bytes() {
        return withEdgeCases(Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0),
                List.of((byte) 0, (byte) 1, (byte) -1, Byte.MIN_VALUE, Byte.MAX_VALUE));
    }

    public static Gen<Integer> ints() {
        return withEdgeCases(Generate.range(Integer.MIN_VALUE, Integer.MAX_VALUE, 0),
                List.of(0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE));
    }

    public static Gen<Integer> sizes(int min, int max) {
        Gen<Integer> small = Generate.range(min, Math.min(max, min + SMALL_SPAN));
        Gen<Integer> uniform = Generate.range(min, max);
        return withEdgeCases(Generate.frequency(Pair.of(SMALL_PERCENT, small), Pair.of(100 - SMALL_PERCENT, uniform)),
                List.of(min, Math.min(min + 1, max), max));
    }

    /** Byte arrays of a length in [minLength, maxLength], shown as hex when a property fails. */
    public static Gen<byte[]> byteArrays(int minLength, int maxLength) {
        return Generate.byteArrays(sizes(minLength, maxLength), bytes()).describedAs(HexFormat.of()::formatHex);
    }

    /** Strings of decimal digits of a length in [minLength, maxLength], all-zero and all-nine often. */
    public static Gen<String> numericStrings(int minLength, int maxLength) {
        Gen<String> digits = lists().of(Generate.characters('0', '9')).ofSizes(sizes(minLength, maxLength))
                .map(chars -> chars.stream().map(String::valueOf).collect(Collectors.joining()));
        return withEdgeCases(digits,
                List.of("0".repeat(minLength), "9".repeat(minLength), "0".repeat(maxLength), "9".repeat(maxLength)));
    }
}
