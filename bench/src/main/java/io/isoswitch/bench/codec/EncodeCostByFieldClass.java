package io.isoswitch.bench.codec;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.codec.IsoMessageWriter;
import io.isoswitch.codec.spec.Dialects;
import io.isoswitch.codec.spec.FieldSpec;
import io.isoswitch.codec.spec.FieldType;
import io.isoswitch.codec.spec.MessageSpec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Where {@link CodecBenchmark#encodeIsoSwitch()}'s time goes: encodes the bench message's fields
 * of one class only (binary, fixed n, variable n, text, track) per pass, besides an empty message
 * and the whole one (also with the numeric fields given as {@code long}s to the typed setter), and
 * prints thread CPU time per message. A pass's figure minus the empty
 * message's is what that class of fields costs; an experiment aimed at one cost can be read
 * against it before the whole-message ratio, where a few nanoseconds drown in the noise of a
 * shared machine. Not a JMH benchmark: a tool for deciding what to try next.
 *
 * <pre>
 * java -Xms512m -Xmx512m -cp bench/target/benchmarks.jar io.isoswitch.bench.codec.EncodeCostByFieldClass [rounds]
 * </pre>
 */
public final class EncodeCostByFieldClass {
    private static final int OPS = 200_000;
    private static final String[] CLASSES = {"none", "binary", "n fixed", "n variable", "text", "track", "all",
        "all, numbers as long"};
    private static final int ALL = 6;
    /** Every field, but the numeric ones given to the typed setter {@code field(int, long)}, as a caller holding numbers would. */
    private static final int ALL_TYPED = 7;

    private EncodeCostByFieldClass() {
    }

    public static void main(String[] args) throws IOException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        MessageSpec spec = Dialects.iso87binary();
        byte[] frame;
        try (InputStream in = EncodeCostByFieldClass.class.getResourceAsStream("/message-0200.hex")) {
            frame = HexFormat.of().parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip());
        }
        IsoMessage message = IsoMessage.decode(spec, frame);
        int[] numbers = message.fields().stream().mapToInt(Integer::intValue).toArray();
        Object[] values = new Object[numbers.length];
        int[] classes = new int[numbers.length];
        for (int i = 0; i < numbers.length; i++) {
            FieldSpec field = spec.field(numbers[i]);
            values[i] = field.binary() ? message.getBytes(numbers[i]) : message.getString(numbers[i]);
            classes[i] = classOf(field);
        }
        long[] numbers64 = new long[numbers.length];
        for (int i = 0; i < numbers.length; i++) {
            numbers64[i] = typedValue(spec.field(numbers[i]), values[i]);
        }
        IsoMessageWriter writer = new IsoMessageWriter(spec);
        ByteBuf out = new UnpooledHeapByteBuf(UnpooledByteBufAllocator.DEFAULT, 512, 4096);
        if (!java.util.Arrays.equals(encode(writer, out, numbers, values, numbers64), frame)) {
            throw new IllegalStateException("the typed encoding must reproduce the bench message byte for byte");
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sink = 0;
        try {
            for (int round = 1; round <= rounds; round++) {
                StringBuilder line = new StringBuilder("round " + round + ":");
                for (int k = 0; k < CLASSES.length; k++) {
                    long start = threads.getCurrentThreadCpuTime();
                    for (int op = 0; op < OPS; op++) {
                        out.clear();
                        writer.begin(out, 200);
                        for (int i = 0; i < numbers.length; i++) {
                            if (k == ALL_TYPED && numbers64[i] >= 0) {
                                writer.field(numbers[i], numbers64[i]);
                            } else if (k >= ALL || classes[i] == k) {
                                if (values[i] instanceof byte[] bytes) {
                                    writer.bytes(numbers[i], bytes);
                                } else {
                                    writer.field(numbers[i], (String) values[i]);
                                }
                            }
                        }
                        sink += writer.finish();
                    }
                    line.append(String.format("  %s %.0f ns", CLASSES[k], (threads.getCurrentThreadCpuTime() - start) / (double) OPS));
                }
                System.out.println(line);
            }
        } finally {
            out.release();
        }
        if (sink == 42) {
            System.out.println(); // keeps the results alive without printing them
        }
    }

    /** The value as a number for the typed setter, or -1 where it cannot say the same bytes (not n, or a leading zero a variable field would lose). */
    private static long typedValue(FieldSpec field, Object value) {
        if (field.type() != FieldType.N || !(value instanceof String text) || text.isEmpty() || text.length() > 18
                || (!field.fixed() && text.charAt(0) == '0')) {
            return -1;
        }
        return Long.parseLong(text);
    }

    private static byte[] encode(IsoMessageWriter writer, ByteBuf out, int[] numbers, Object[] values, long[] numbers64) {
        out.clear();
        writer.begin(out, 200);
        for (int i = 0; i < numbers.length; i++) {
            if (numbers64[i] >= 0) {
                writer.field(numbers[i], numbers64[i]);
            } else if (values[i] instanceof byte[] bytes) {
                writer.bytes(numbers[i], bytes);
            } else {
                writer.field(numbers[i], (String) values[i]);
            }
        }
        writer.finish();
        byte[] bytes = new byte[out.readableBytes()];
        out.getBytes(out.readerIndex(), bytes);
        return bytes;
    }

    private static int classOf(FieldSpec field) {
        if (field.binary()) {
            return 1;
        }
        if (field.type() == FieldType.N) {
            return field.fixed() ? 2 : 3;
        }
        return field.type() == FieldType.Z ? 5 : 4;
    }
}
