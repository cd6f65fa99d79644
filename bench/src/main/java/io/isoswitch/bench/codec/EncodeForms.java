package io.isoswitch.bench.codec;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * The encode benchmarks of {@link CodecBenchmark} side by side by thread CPU time in one JVM,
 * rounds alternating, so that each of our forms can be read against the jPOS form that does the
 * same work: {@code encodeIsoSwitch} (the writer fed the 21 values) and {@code encodeIsoMessage}
 * (a message built once, encoded: the like-for-like form of jPOS's {@code pack} of a prebuilt
 * ISOMsg) against {@code encodeJpos}; {@code encodeIsoMessageFromValues} (build and encode)
 * against {@code encodeJposFromValues} (build and pack). Every one of our forms checks every value
 * against the spec (length, digits, charset); jPOS checks lengths only. Rounds in the first third
 * warm up and are left out of the medians.
 *
 * <pre>
 * java -Xms512m -Xmx512m -cp bench/target/benchmarks.jar io.isoswitch.bench.codec.EncodeForms [rounds]
 * </pre>
 */
public final class EncodeForms {
    private static final int OPS = 200_000;
    private static final String[] NAMES = {"writer", "IsoMessage", "jPOS pack", "IsoMessage set+encode", "jPOS set+pack"};

    private EncodeForms() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 12;
        CodecBenchmark bench = new CodecBenchmark();
        bench.setUp();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[][] kept = new double[rounds][];
        long sink = 0;
        try {
            for (int round = 1; round <= rounds; round++) {
                double[] nanos = new double[NAMES.length];
                for (int k = 0; k < NAMES.length; k++) {
                    long start = threads.getCurrentThreadCpuTime();
                    for (int i = 0; i < OPS; i++) {
                        sink += switch (k) {
                            case 0 -> bench.encodeIsoSwitch();
                            case 1 -> bench.encodeIsoMessage();
                            case 2 -> bench.encodeJpos().length;
                            case 3 -> bench.encodeIsoMessageFromValues();
                            default -> bench.encodeJposFromValues().length;
                        };
                    }
                    nanos[k] = (threads.getCurrentThreadCpuTime() - start) / (double) OPS;
                }
                kept[round - 1] = nanos;
                System.out.printf("round %2d  writer %5.0f  IsoMessage %5.0f  jPOS pack %5.0f (%.1fx, %.1fx)   IsoMessage set+encode %5.0f  jPOS set+pack %5.0f (%.1fx)%n",
                        round, nanos[0], nanos[1], nanos[2], nanos[2] / nanos[0], nanos[2] / nanos[1], nanos[3], nanos[4], nanos[4] / nanos[3]);
            }
        } finally {
            bench.tearDown();
        }
        StringBuilder line = new StringBuilder("medians (min-max) of rounds " + (rounds / 3 + 1) + "-" + rounds + ":");
        for (int k = 0; k < NAMES.length; k++) {
            int op = k;
            line.append(summary(NAMES[k] + " ns", Arrays.stream(kept, rounds / 3, rounds).mapToDouble(n -> n[op]).toArray()));
        }
        line.append(summary("pack/writer", Arrays.stream(kept, rounds / 3, rounds).mapToDouble(n -> n[2] / n[0]).toArray()));
        line.append(summary("pack/IsoMessage", Arrays.stream(kept, rounds / 3, rounds).mapToDouble(n -> n[2] / n[1]).toArray()));
        line.append(summary("set+pack/set+encode", Arrays.stream(kept, rounds / 3, rounds).mapToDouble(n -> n[4] / n[3]).toArray()));
        System.out.println(line);
        if (sink == 42) {
            System.out.println(); // keeps the results alive without printing them
        }
    }

    private static String summary(String what, double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return String.format("  %s %.1f (%.1f-%.1f)", what, sorted[sorted.length / 2], sorted[0], sorted[sorted.length - 1]);
    }
}
