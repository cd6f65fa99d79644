package io.isoswitch.bench.codec;

import io.isoswitch.codec.IsoMessageView;
import io.isoswitch.codec.spec.Dialects;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * {@link CodecCpuTime} for two or more builds in one JVM: each benchmarks jar is loaded by its own
 * class loader (this class's {@link Runner} is taken from the jar given, or from this jar when the
 * given one predates it), and their rounds alternate, so every build sees the same machine at the
 * same minutes. On a shared, loaded machine whole JVMs run 1.5x slower or faster from one start to
 * the next, which drowns differences of 10% between builds measured one JVM after another; within
 * one JVM they stay comparable. Per round and build: thread CPU time per operation of
 * {@link CodecBenchmark}'s decode and encode, jPOS's unpack and pack, and {@code wrap} alone and
 * with the amount and STAN read. Rounds in the first third warm up and are left out of the medians.
 *
 * <pre>
 * java -Xms512m -Xmx512m -cp bench/target/benchmarks.jar io.isoswitch.bench.codec.CodecAb rounds base.jar other.jar...
 * </pre>
 */
public final class CodecAb {
    private static final int OPS = 200_000;
    private static final String[] NAMES = {"decode", "jPOS unpack", "encode", "jPOS pack", "wrap", "wrap+amount+stan", "wrap+mti+amount+stan"};

    private CodecAb() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        String[] jars = Arrays.copyOfRange(args, 1, args.length);
        URL self = CodecAb.class.getProtectionDomain().getCodeSource().getLocation();
        Method[] runs = new Method[jars.length];
        ClassLoader[] loaders = new ClassLoader[jars.length];
        for (int j = 0; j < jars.length; j++) {
            loaders[j] = new URLClassLoader(new URL[] {Path.of(jars[j]).toUri().toURL(), self}, ClassLoader.getPlatformClassLoader());
            Thread.currentThread().setContextClassLoader(loaders[j]); // jPOS finds its packager through it
            Class<?> runner = loaders[j].loadClass(Runner.class.getName());
            runner.getMethod("setUp").invoke(null);
            runs[j] = runner.getMethod("round", int.class);
        }
        List<List<double[]>> kept = new ArrayList<>();
        for (int j = 0; j < jars.length; j++) {
            kept.add(new ArrayList<>());
        }
        for (int round = 1; round <= rounds; round++) {
            for (int j = 0; j < jars.length; j++) {
                Thread.currentThread().setContextClassLoader(loaders[j]);
                double[] nanos = (double[]) runs[j].invoke(null, OPS);
                if (round > rounds / 3) {
                    kept.get(j).add(nanos);
                }
                System.out.printf("round %2d  %-28s decode %5.1f ns / unpack %5.0f = %4.1fx  encode %5.1f ns / pack %5.0f = %4.1fx  wrap %5.1f  +reads %5.1f  +mti %5.1f%n",
                        round, name(jars[j]), nanos[0], nanos[1], nanos[1] / nanos[0], nanos[2], nanos[3], nanos[3] / nanos[2], nanos[4], nanos[5], nanos[6]);
            }
        }
        System.out.println("medians (min-max) of the rounds kept:");
        for (int j = 0; j < jars.length; j++) {
            StringBuilder line = new StringBuilder(String.format("%-28s", name(jars[j])));
            for (int k = 0; k < NAMES.length; k++) {
                int op = k;
                line.append(summary(NAMES[k] + " ns", kept.get(j).stream().mapToDouble(n -> n[op]).toArray()));
            }
            line.append(summary("decode ratio", kept.get(j).stream().mapToDouble(n -> n[1] / n[0]).toArray()));
            line.append(summary("encode ratio", kept.get(j).stream().mapToDouble(n -> n[3] / n[2]).toArray()));
            System.out.println(line);
        }
    }

    private static String name(String jar) {
        return Path.of(jar).getFileName().toString();
    }

    private static String summary(String what, double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return String.format("  %s %.2f (%.2f-%.2f)", what, sorted[sorted.length / 2], sorted[0], sorted[sorted.length - 1]);
    }

    /** Loaded once per build: runs that build's operations and returns CPU ns per operation. */
    public static final class Runner {
        private static CodecBenchmark bench;
        private static IsoMessageView view;
        private static ByteBuf frame;
        private static long sink;

        private Runner() {
        }

        public static void setUp() throws Exception {
            bench = new CodecBenchmark();
            bench.setUp();
            view = new IsoMessageView(Dialects.iso87binary());
            try (InputStream in = Runner.class.getResourceAsStream("/message-0200.hex")) {
                frame = Unpooled.wrappedBuffer(HexFormat.of().parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip()));
            }
        }

        public static double[] round(int ops) throws Exception {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            double[] nanos = new double[NAMES.length];
            for (int k = 0; k < NAMES.length; k++) {
                long start = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < ops; i++) {
                    sink += switch (k) {
                        case 0 -> bench.decodeIsoSwitch();
                        case 1 -> bench.decodeJpos().getMaxField();
                        case 2 -> bench.encodeIsoSwitch();
                        case 3 -> bench.encodeJpos().length;
                        case 4 -> view.wrap(frame).fieldCount();
                        case 5 -> {
                            IsoMessageView decoded = view.wrap(frame);
                            yield decoded.amountMinor() + decoded.stan();
                        }
                        default -> {
                            IsoMessageView decoded = view.wrap(frame);
                            yield decoded.mti() + decoded.amountMinor() + decoded.stan();
                        }
                    };
                }
                nanos[k] = (threads.getCurrentThreadCpuTime() - start) / (double) ops;
            }
            return nanos;
        }
    }
}
