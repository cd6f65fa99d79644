package io.isoswitch.bench.codec;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.codec.IsoMessageView;
import io.isoswitch.codec.IsoMessageWriter;
import io.isoswitch.codec.spec.Dialects;
import io.isoswitch.codec.spec.MessageSpec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Where {@link CodecBenchmark#decodeIsoSwitch()}'s time goes, the decode side of
 * {@link EncodeCostByFieldClass}: thread CPU time per {@code wrap} of frames made of the bench
 * message's fields of one kind (the whole message; one fixed field, which is the cost of a message
 * at all; its 18 fixed fields; its 3 variable ones). The fixed fields' figure over the one-field figure is what a fixed
 * field costs the pass; the variable fields' figure is bound by the chain from a length prefix to
 * the next field's position, which no reordering inside the pass shortens. The last two figures
 * wrap frames of different bitmaps in turn through the one view, which keeps the layout of the
 * last {@code ShapeCache.SHAPES} (4) bitmaps it laid out: 4 shapes in turn find theirs, 6 in
 * turn never do and take the field-by-field pass (the worst case of the layout cache: the misses'
 * bookkeeping on top of the pass without a cache). Not a JMH benchmark:
 * a tool for deciding what to try next.
 *
 * <pre>
 * java -Xms512m -Xmx512m -cp bench/target/benchmarks.jar io.isoswitch.bench.codec.DecodeCostByShape [rounds]
 * </pre>
 */
public final class DecodeCostByShape {
    private static final int OPS = 1_000_000;
    private static final int[] FIXED = {3, 4, 7, 11, 12, 13, 14, 18, 22, 23, 25, 37, 41, 42, 43, 49, 52, 64};
    private static final int[] VARIABLE = {2, 35, 55};

    private DecodeCostByShape() {
    }

    public static void main(String[] args) throws IOException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        MessageSpec spec = Dialects.iso87binary();
        byte[] bytes;
        try (InputStream in = DecodeCostByShape.class.getResourceAsStream("/message-0200.hex")) {
            bytes = HexFormat.of().parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip());
        }
        IsoMessage message = IsoMessage.decode(spec, bytes);
        ByteBuf[] frames = {Unpooled.wrappedBuffer(bytes), frameOf(spec, message, 11), frameOf(spec, message, FIXED),
            frameOf(spec, message, VARIABLE)};
        String[] names = {"whole message (21 fields)", "one fixed field", "18 fixed fields", "3 variable fields"};
        ByteBuf[] six = {frames[0], frames[1], frames[2], frames[3], frameOf(spec, message, 2, 3, 4, 11, 35, 41, 42, 49),
            frameOf(spec, message, 3, 4, 7, 11, 12, 13, 22, 35, 37, 41, 49, 55)};
        IsoMessageView view = new IsoMessageView(spec);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int round = 1; round <= rounds; round++) {
            StringBuilder line = new StringBuilder("round " + round + ":");
            for (int k = 0; k < frames.length; k++) {
                long start = threads.getCurrentThreadCpuTime();
                for (int op = 0; op < OPS; op++) {
                    sink += view.wrap(frames[k]).fieldCount();
                }
                line.append(String.format("  %s %.1f ns", names[k], (threads.getCurrentThreadCpuTime() - start) / (double) OPS));
            }
            for (int shapes : new int[] {4, 6}) {
                long start = threads.getCurrentThreadCpuTime();
                for (int op = 0; op < OPS; op++) {
                    sink += view.wrap(six[op % shapes]).fieldCount();
                }
                line.append(String.format("  %d shapes in turn %.1f ns", shapes, (threads.getCurrentThreadCpuTime() - start) / (double) OPS));
            }
            System.out.println(line);
        }
        if (sink == 42) {
            System.out.println(); // keeps the results alive without printing them
        }
    }

    /**
     * A 0200 carrying only {@code fields} of the bench message, with their values, in the same kind
     * of buffer as the whole message (so that wrap's buffer calls stay monomorphic, as in the benchmark).
     */
    private static ByteBuf frameOf(MessageSpec spec, IsoMessage message, int... fields) {
        ByteBuf frame = Unpooled.buffer(256);
        IsoMessageWriter writer = new IsoMessageWriter(spec).begin(frame, 200);
        for (int field : fields) {
            if (spec.field(field).binary()) {
                writer.bytes(field, message.getBytes(field));
            } else {
                writer.field(field, message.getString(field));
            }
        }
        writer.finish();
        byte[] copy = new byte[frame.readableBytes()];
        frame.readBytes(copy).release();
        return Unpooled.wrappedBuffer(copy);
    }
}
