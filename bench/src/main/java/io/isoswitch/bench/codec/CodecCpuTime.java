package io.isoswitch.bench.codec;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * A second opinion beside JMH for a shared, loaded machine: runs {@link CodecBenchmark}'s four
 * head-to-head operations in one JVM, in turn, and divides the thread's CPU time (not wall time) by
 * the operations done. Time the thread spent waiting for a core, which inflates JMH's wall-clock
 * figures when other processes compete for the cores, is left out; what stays in is still shared
 * (caches, a sibling hyperthread), so only the ratios within one round mean anything. JMH remains
 * the measure of record (bench/RESULTS.md).
 *
 * <pre>
 * java -Xms512m -Xmx512m -cp bench/target/benchmarks.jar io.isoswitch.bench.codec.CodecCpuTime [rounds] [opsPerRound]
 * </pre>
 */
public final class CodecCpuTime {
    private static final int DEFAULT_ROUNDS = 12;
    private static final int DEFAULT_OPS = 200_000;
    private static final String[] NAMES = {"decodeIsoSwitch", "decodeJpos", "encodeIsoSwitch", "encodeJpos"};

    private CodecCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_ROUNDS;
        int ops = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_OPS;
        CodecBenchmark bench = new CodecBenchmark();
        bench.setUp();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sink = 0;
        try {
            for (int round = 1; round <= rounds; round++) {
                double[] nanos = new double[NAMES.length];
                for (int k = 0; k < NAMES.length; k++) {
                    long start = threads.getCurrentThreadCpuTime();
                    for (int i = 0; i < ops; i++) {
                        sink += switch (k) {
                            case 0 -> bench.decodeIsoSwitch();
                            case 1 -> bench.decodeJpos().getMaxField();
                            case 2 -> bench.encodeIsoSwitch();
                            default -> bench.encodeJpos().length;
                        };
                    }
                    nanos[k] = (threads.getCurrentThreadCpuTime() - start) / (double) ops;
                }
                System.out.printf("round %2d  decode %5.0f ns vs jPOS unpack %5.0f ns = %4.1fx   encode %5.0f ns vs jPOS pack %5.0f ns = %4.1fx%n",
                        round, nanos[0], nanos[1], nanos[1] / nanos[0], nanos[2], nanos[3], nanos[3] / nanos[2]);
            }
        } finally {
            bench.tearDown();
        }
        if (sink == 42) {
            System.out.println(); // keeps the results alive without printing them
        }
    }
}
