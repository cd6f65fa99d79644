package io.isoswitch.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;

import io.isoswitch.codec.spec.Dialects;
import io.isoswitch.codec.spec.FieldSpec;
import io.isoswitch.codec.spec.FieldType;
import io.isoswitch.codec.spec.MessageSpec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.isoswitch.testkit.gen.Gens;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Laws of the codec over every built-in dialect: decoding inverts encoding, and no frame, however
 * mangled, makes the view throw anything but {@link IsoCodecException} (or leak a buffer).
 */
class IsoCodecProperties {

    private static Gen<String> dialects() {
        return Generate.pick(Dialects.BUILT_IN);
    }

    /**
     * Half the tries encode into a heap buffer: the encoder packs common fields straight into a
     * heap buffer's array, a path a direct buffer never takes.
     */
    @Test
    void decodeIsTheInverseOfEncode() {
        qt().withExamples(400).forAll(dialects(), Gens.longs(), booleans().all()).checkAssert((dialect, seed, heap) -> {
            MessageSpec spec = Dialects.byName(dialect);
            IsoMessage message = new RandomMessages(spec, seed, false).next();
            ByteBuf frame = heap ? PooledByteBufAllocator.DEFAULT.heapBuffer() : PooledByteBufAllocator.DEFAULT.directBuffer();
            try {
                message.encode(spec, untracked(frame));
                assertThat(IsoMessage.decode(spec, untracked(frame))).isEqualTo(message);
                // the number wrap takes while it checks the MTI's digits, in every MTI encoding
                assertThat(new IsoMessageView(spec).wrap(untracked(frame)).mti()).isEqualTo(Integer.parseInt(message.mti()));
            } finally {
                frame.release();
            }
        });
    }

    @Test
    void mutatedFramesFailOnlyWithTheCodecsOwnException() {
        qt().withExamples(1000).forAll(dialects(), Gens.longs()).checkAssert((dialect, seed) -> {
            MessageSpec spec = Dialects.byName(dialect);
            Random random = new Random(seed);
            byte[] valid = new RandomMessages(spec, seed).next().encode(spec);
            byte[] mutated = mutate(spec, valid, random);
            decodeAndReadEverything(spec, mutated);
        });
    }

    @Test
    void randomBytesFailOnlyWithTheCodecsOwnException() {
        qt().withExamples(500).forAll(dialects(), Gens.byteArrays(0, 300))
                .checkAssert((dialect, bytes) -> decodeAndReadEverything(Dialects.byName(dialect), bytes));
    }

    /**
     * The heap-array pass goes by bitmap byte (a byte of fixed fields is one table lookup, a
     * field's start is computed when asked) and reads BCD prefixes by table; a direct buffer takes
     * the checked pass field by field. For valid frames and mangled ones (bad BCD prefixes,
     * inflated lengths, random bitmaps, cuts), both passes must agree exactly: the same offsets,
     * lengths and wire lengths for every field, or the same error naming the same field and offset.
     */
    @Test
    void theArrayPassAgreesWithTheCheckedPass() {
        qt().withExamples(3000).forAll(dialects(), Gens.longs(), booleans().all()).checkAssert((dialect, seed, mangle) -> {
            MessageSpec spec = Dialects.byName(dialect);
            Random random = new Random(seed);
            byte[] valid = new RandomMessages(spec, seed).next().encode(spec);
            byte[] bytes = mangle ? mutate(spec, valid, random) : valid;
            ByteBuf direct = PooledByteBufAllocator.DEFAULT.directBuffer(Math.max(1, bytes.length));
            try {
                untracked(direct).writeBytes(bytes);
                IsoMessageView byArray = new IsoMessageView(spec);
                IsoMessageView byBuffer = new IsoMessageView(spec);
                IsoCodecException arrayError = wrapOrError(byArray, io.netty.buffer.Unpooled.wrappedBuffer(bytes));
                IsoCodecException bufferError = wrapOrError(byBuffer, untracked(direct));
                if (bufferError != null) {
                    assertThat(arrayError).as("the array pass must reject what the checked pass rejects").isNotNull();
                    assertThat(arrayError.getMessage()).isEqualTo(bufferError.getMessage());
                    assertThat(arrayError.stan()).isEqualTo(bufferError.stan());
                    return;
                }
                assertThat(arrayError).as("the array pass must accept what the checked pass accepts").isNull();
                assertThat(byArray.fieldCount()).isEqualTo(byBuffer.fieldCount());
                for (int i = 0; i < byBuffer.fieldCount(); i++) {
                    int field = byBuffer.fieldAt(i);
                    assertThat(byArray.fieldAt(i)).isEqualTo(field);
                    assertThat(byArray.contentOffset(field)).as("field %d", field).isEqualTo(byBuffer.contentOffset(field));
                    assertThat(byArray.length(field)).as("field %d", field).isEqualTo(byBuffer.length(field));
                    assertThat(byArray.rawLength(field)).as("field %d", field).isEqualTo(byBuffer.rawLength(field));
                }
            } finally {
                direct.release();
            }
        });
    }

    /**
     * A view keeps the layout of the bitmaps it saw last (a few shapes) and, when the next frame
     * has the same bitmaps, adds its fixed runs whole. One view reused across a stream of frames
     * of a few random shapes (repeated with other values, so variable lengths and offsets move;
     * more shapes than the cache holds; some mangled) must read each frame exactly as a fresh
     * view and the checked pass do: the same error, or the same fields, offsets, lengths, values
     * and content check.
     */
    @Test
    void aReusedViewReadsWhatAFreshViewReads() {
        qt().withExamples(300).forAll(dialects(), Gens.longs()).checkAssert((dialect, seed) -> {
            MessageSpec spec = Dialects.byName(dialect);
            Random random = new Random(seed);
            RandomMessages messages = new RandomMessages(spec, seed);
            IsoMessage[] shapes = new IsoMessage[1 + random.nextInt(ShapeCache.SHAPES + 2)];
            for (int i = 0; i < shapes.length; i++) {
                shapes[i] = messages.next();
            }
            IsoMessageView reused = new IsoMessageView(spec);
            for (int step = 0; step < 24; step++) {
                IsoMessage template = shapes[random.nextInt(random.nextBoolean() ? shapes.length : Math.min(2, shapes.length))];
                byte[] valid = messages.sameShapeAs(template).encode(spec);
                byte[] bytes = random.nextInt(4) == 0 ? mutate(spec, valid, random) : valid;
                readsAlike(spec, reused, bytes);
            }
        });
    }

    private static void readsAlike(MessageSpec spec, IsoMessageView reused, byte[] bytes) {
        IsoMessageView fresh = new IsoMessageView(spec);
        IsoMessageView checked = new IsoMessageView(spec);
        ByteBuf direct = PooledByteBufAllocator.DEFAULT.directBuffer(Math.max(1, bytes.length));
        try {
            untracked(direct).writeBytes(bytes);
            IsoCodecException reusedError = wrapOrError(reused, io.netty.buffer.Unpooled.wrappedBuffer(bytes));
            IsoCodecException freshError = wrapOrError(fresh, io.netty.buffer.Unpooled.wrappedBuffer(bytes));
            IsoCodecException checkedError = wrapOrError(checked, untracked(direct));
            if (checkedError != null) {
                assertThat(reusedError).as("the reused view must reject what the checked pass rejects").isNotNull();
                assertThat(reusedError.getMessage()).isEqualTo(checkedError.getMessage());
                assertThat(reusedError.stan()).isEqualTo(checkedError.stan());
                assertThat(freshError.getMessage()).isEqualTo(checkedError.getMessage());
                assertThat(reused.fieldCount()).isZero();
                return;
            }
            assertThat(reusedError).as("the reused view must accept what the checked pass accepts").isNull();
            assertThat(freshError).isNull();
            IsoMessageViewTest.assertReadAlike(reused, fresh);
            IsoMessageViewTest.assertReadAlike(reused, checked, false);
        } finally {
            direct.release();
        }
    }

    private static IsoCodecException wrapOrError(IsoMessageView view, ByteBuf frame) {
        try {
            view.wrap(frame);
            return null;
        } catch (IsoCodecException e) {
            return e;
        }
    }

    /**
     * The buffer under the leak detector's wrapper. The wrapper (allocated and released here)
     * still proves the release; reading through it under PARANOID would record a stack trace per
     * byte and make a thousand tries take a minute.
     */
    private static ByteBuf untracked(ByteBuf tracked) {
        ByteBuf inner = tracked.unwrap();
        return inner != null ? inner : tracked;
    }

    /** Wraps the bytes in a pooled buffer, validates, reads every field every way, and releases the buffer. */
    private static void decodeAndReadEverything(MessageSpec spec, byte[] bytes) {
        ByteBuf frame = PooledByteBufAllocator.DEFAULT.buffer(bytes.length);
        frame.writeBytes(bytes);
        IsoMessageView view = new IsoMessageView(spec);
        try {
            try {
                view.wrap(untracked(frame));
            } catch (IsoCodecException structural) {
                assertThat(structural.getMessage()).isNotBlank();
                assertThat(view.fieldCount()).isZero();
                return;
            }
            onlyCodecErrors(view::validate);
            for (int i = 0; i < view.fieldCount(); i++) {
                int field = view.fieldAt(i);
                FieldSpec fieldSpec = view.fieldSpec(field);
                view.getString(field);
                view.getBytes(field);
                view.chars(field).length();
                if (fieldSpec.type() == FieldType.N) {
                    onlyCodecErrors(() -> view.getLong(field));
                }
                for (int sub = 1; sub <= fieldSpec.subfields().size(); sub++) {
                    view.subfield(field, sub).toString();
                }
            }
            MessageDescriber.describe(IsoMessage.from(view), true);
        } finally {
            frame.release();
        }
    }

    /** Runs a read that may fail on bad content: only the codec's own exception is allowed. */
    private static void onlyCodecErrors(Runnable read) {
        try {
            read.run();
        } catch (IsoCodecException expected) {
            assertThat(expected.getMessage()).isNotBlank().contains("field ");
        }
    }

    private static byte[] mutate(MessageSpec spec, byte[] valid, Random random) {
        byte[] bytes = valid.clone();
        int bitmapStart = spec.mtiLength();
        switch (random.nextInt(8)) {
            case 0 -> { // bit flips anywhere
                for (int i = random.nextInt(4); i >= 0; i--) {
                    int at = random.nextInt(bytes.length);
                    bytes[at] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> { // truncation
                return java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
            }
            case 2 -> { // an inflated length or garbage where a prefix may be
                int at = bitmapStart + spec.bitmapEncoding().bytesPerBitmap() + random.nextInt(Math.max(1, bytes.length - bitmapStart - 8));
                if (at < bytes.length) {
                    bytes[at] = (byte) (random.nextBoolean() ? 0x99 : 0xFF);
                }
            }
            case 3 -> { // bad BCD nibbles in the body
                int at = random.nextInt(bytes.length);
                bytes[at] = (byte) ((bytes[at] & 0xF0) | (0xA + random.nextInt(6)));
            }
            case 4 -> { // a random bitmap
                for (int i = 0; i < spec.bitmapEncoding().bytesPerBitmap() && bitmapStart + i < bytes.length; i++) {
                    bytes[bitmapStart + i] = (byte) random.nextInt(256);
                }
            }
            case 5 -> { // a byte inserted anywhere, shifting every field after it
                int at = random.nextInt(bytes.length + 1);
                byte[] longer = new byte[bytes.length + 1];
                System.arraycopy(bytes, 0, longer, 0, at);
                longer[at] = (byte) random.nextInt(256);
                System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
                return longer;
            }
            case 6 -> { // a byte deleted anywhere
                int at = random.nextInt(bytes.length);
                byte[] shorter = new byte[bytes.length - 1];
                System.arraycopy(bytes, 0, shorter, 0, at);
                System.arraycopy(bytes, at + 1, shorter, at, bytes.length - at - 1);
                return shorter;
            }
            default -> { // extra bytes after the last field
                byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1 + random.nextInt(8));
                return longer;
            }
        }
        return bytes;
    }
}
