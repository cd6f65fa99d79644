package io.isoswitch.bench.codec;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.codec.IsoMessageView;
import io.isoswitch.codec.IsoMessageWriter;
import io.isoswitch.codec.spec.Dialects;
import io.isoswitch.codec.spec.MessageSpec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.jpos.iso.ISOException;
import org.jpos.iso.ISOMsg;
import org.jpos.iso.packager.GenericPackager;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decodes and encodes the same 0200 purchase (bench/message-0200.hex, iso87binary, 247 bytes) with
 * iso-switch's codec and with jPOS 3.0.1's GenericPackager ({@code packager/iso87binary.xml}) in
 * the same run, so the ratio is measured on one machine at one time.
 *
 * <ul>
 *   <li>{@code decode*}: our view wraps the frame (one structural pass: bitmaps, every prefix
 *       and bound) and reads the MTI, amount and STAN; jPOS unpacks into a new ISOMsg (which does
 *       not check content either). {@code decodeAndValidateIsoSwitch} adds the content check of
 *       every field.
 *   <li>{@code encode*}: both write the same 21 field values (held as Strings and byte arrays)
 *       into bytes; ours writes into a reused buffer, checking every value against its field
 *       (length, digits, charset), jPOS packs a prebuilt ISOMsg (checking lengths only).
 *       {@code encodeJposFromValues} has jPOS also build the ISOMsg from the values.
 *   <li>{@code encodeIsoMessage}: the like-for-like form of {@code encodeJpos}, an IsoMessage
 *       whose values were set once (stored, as jPOS's set stores them) encoded per call, checks
 *       and conversion included; {@code encodeIsoMessageFromValues} is its build-and-encode form.
 * </ul>
 *
 * JVM flags: JMH defaults plus those in {@link Fork}; Netty's buffer checks stay at their defaults.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class CodecBenchmark {
    private MessageSpec spec;
    private byte[] frameBytes;
    private ByteBuf frame;
    private IsoMessageView view;
    private IsoMessageWriter writer;
    private ByteBuf out;
    private int[] fieldNumbers;
    private Object[] fieldValues;
    private int mti;
    private String jposMti;

    private IsoMessage prebuilt;

    private GenericPackager packager;
    private ISOMsg jposMessage;

    @Setup
    public void setUp() throws IOException, ISOException {
        spec = Dialects.iso87binary();
        try (InputStream in = CodecBenchmark.class.getResourceAsStream("/message-0200.hex")) {
            frameBytes = HexFormat.of().parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip());
        }
        frame = Unpooled.wrappedBuffer(frameBytes);
        view = new IsoMessageView(spec);
        writer = new IsoMessageWriter(spec);
        out = new UnpooledHeapByteBuf(UnpooledByteBufAllocator.DEFAULT, 512, 4096);

        IsoMessage message = IsoMessage.decode(spec, frameBytes);
        prebuilt = message;
        mti = Integer.parseInt(message.mti());
        jposMti = message.mti();
        fieldNumbers = message.fields().stream().mapToInt(Integer::intValue).toArray();
        fieldValues = new Object[fieldNumbers.length];
        for (int i = 0; i < fieldNumbers.length; i++) {
            byte[] bytes = spec.field(fieldNumbers[i]).binary() ? message.getBytes(fieldNumbers[i]) : null;
            fieldValues[i] = bytes != null ? bytes : message.getString(fieldNumbers[i]);
        }

        packager = new GenericPackager("jar:packager/iso87binary.xml");
        jposMessage = new ISOMsg();
        jposMessage.setPackager(packager);
        jposMessage.unpack(frameBytes);
        if (!java.util.Arrays.equals(jposMessage.pack(), frameBytes) || !java.util.Arrays.equals(encode(), frameBytes)
                || !java.util.Arrays.equals(encodeJposFromValues(), frameBytes)
                || !java.util.Arrays.equals(bytesOf(encodeIsoMessage()), frameBytes)
                || !java.util.Arrays.equals(bytesOf(encodeIsoMessageFromValues()), frameBytes)) {
            throw new IllegalStateException("both codecs must reproduce the bench message byte for byte");
        }
    }

    @TearDown
    public void tearDown() {
        out.release();
    }

    @Benchmark
    public long decodeIsoSwitch() {
        IsoMessageView decoded = view.wrap(frame);
        return decoded.mti() + decoded.amountMinor() + decoded.stan();
    }

    /** Decode plus the content check of every field (digits, signs) that jPOS's unpack does not make. */
    @Benchmark
    public long decodeAndValidateIsoSwitch() {
        IsoMessageView decoded = view.wrap(frame).validate();
        return decoded.mti() + decoded.amountMinor() + decoded.stan();
    }

    @Benchmark
    public ISOMsg decodeJpos() throws ISOException {
        ISOMsg message = new ISOMsg();
        message.setPackager(packager);
        message.unpack(frameBytes);
        return message;
    }

    @Benchmark
    public int encodeIsoSwitch() {
        out.clear();
        writer.begin(out, mti);
        for (int i = 0; i < fieldNumbers.length; i++) {
            if (fieldValues[i] instanceof byte[] bytes) {
                writer.bytes(fieldNumbers[i], bytes);
            } else {
                writer.field(fieldNumbers[i], (String) fieldValues[i]);
            }
        }
        return writer.finish();
    }

    @Benchmark
    public byte[] encodeJpos() throws ISOException {
        return jposMessage.pack();
    }

    /**
     * jPOS doing everything {@link #encodeIsoSwitch()} does: from the same 21 values to bytes, that
     * is building the ISOMsg (which our writer has no separate step for) and packing it. Not the
     * target's yardstick ({@link #encodeJpos()} is, the stricter one); shown so both readings are on
     * the table.
     */
    @Benchmark
    public byte[] encodeJposFromValues() throws ISOException {
        ISOMsg message = new ISOMsg();
        message.setPackager(packager);
        message.setMTI(jposMti);
        for (int i = 0; i < fieldNumbers.length; i++) {
            if (fieldValues[i] instanceof byte[] bytes) {
                message.set(fieldNumbers[i], bytes);
            } else {
                message.set(fieldNumbers[i], (String) fieldValues[i]);
            }
        }
        return message.pack();
    }

    /**
     * The like-for-like form of {@link #encodeJpos()}: an {@link IsoMessage} whose 21 values were
     * set once (as jPOS's ISOMsg's were: held, not yet checked or converted) is encoded into a
     * reused buffer: every value checked against the spec (length, digits, charset), converted and
     * written, the bitmap computed, exactly as {@link #encodeIsoSwitch()} does, plus walking the
     * message's fields.
     */
    @Benchmark
    public int encodeIsoMessage() {
        out.clear();
        return prebuilt.encode(spec, out);
    }

    /** {@link #encodeJposFromValues()}'s counterpart: a new {@link IsoMessage} from the 21 values, then encoded. */
    @Benchmark
    public int encodeIsoMessageFromValues() {
        IsoMessage message = new IsoMessage(jposMti);
        for (int i = 0; i < fieldNumbers.length; i++) {
            if (fieldValues[i] instanceof byte[] bytes) {
                message.set(fieldNumbers[i], bytes);
            } else {
                message.set(fieldNumbers[i], (String) fieldValues[i]);
            }
        }
        out.clear();
        return message.encode(spec, out);
    }

    /** The echo path a switch uses: a 0210 built from the request's raw field bytes plus field 39. */
    @Benchmark
    public void respondByEchoIsoSwitch(Blackhole blackhole) {
        view.wrap(frame);
        out.clear();
        writer.begin(out, 210).copyPresent(view, 2, 3, 4, 7, 11, 12, 13, 14, 18, 22, 23, 25, 35, 37)
                .field(39, "00").copyPresent(view, 41, 42, 43, 49);
        blackhole.consume(writer.finish());
    }

    private byte[] encode() {
        return bytesOf(encodeIsoSwitch());
    }

    private byte[] bytesOf(int written) {
        if (written != out.readableBytes()) {
            throw new IllegalStateException("the encoder must report the bytes it wrote");
        }
        byte[] bytes = new byte[out.readableBytes()];
        out.getBytes(out.readerIndex(), bytes);
        return bytes;
    }
}
