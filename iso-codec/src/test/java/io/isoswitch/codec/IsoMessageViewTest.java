package io.isoswitch.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.isoswitch.codec.spec.Dialects;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class IsoMessageViewTest {
    private final IsoMessageView view = new IsoMessageView(Dialects.iso87binary());

    /**
     * One view, frames of three shapes (bitmaps) in the order hit, miss, hit, with other values
     * for the same shape (the PAN's and track 2's lengths move every field after them), and more
     * shapes than the view keeps, then a frame that fails and one that succeeds: every read equals
     * a fresh view's.
     */
    @Test
    void aViewReusedAcrossShapesReadsEveryFieldAsAFreshOne() {
        io.isoswitch.codec.spec.MessageSpec spec = Dialects.iso87binary();
        IsoMessage purchase = IsoMessage.decode(spec, Hex.bytes(Hex.golden("purchase-0200-iso87binary.hex")));
        IsoMessage shortPan = IsoMessage.decode(spec, Hex.bytes(Hex.golden("purchase-0200-iso87binary.hex")))
                .set(2, "4761739001").set(35, "4761739001=2812201");
        IsoMessage echo = new IsoMessage("0800").set(7, "1019213801").set(11, "000042").set(70, "301");
        IsoMessage answer = new IsoMessage("0210").set(2, "4761739001010119").set(3, "000000").set(4, "000000012345")
                .set(11, "123456").set(37, "ABC123456789").set(39, "00").set(41, "TERM0001");
        IsoMessage[] sequence = {purchase, purchase, shortPan, echo, purchase, echo, answer, shortPan, answer,
            new IsoMessage("0100").set(3, "000000").set(4, "000000000001"), new IsoMessage("0400").set(2, "12345678901"),
            new IsoMessage("0420").set(32, "123456").set(11, "000001"), purchase, shortPan};
        IsoMessageView reused = new IsoMessageView(spec);
        for (IsoMessage message : sequence) {
            byte[] bytes = message.encode(spec);
            reused.wrap(Unpooled.wrappedBuffer(bytes));
            assertReadAlike(reused, new IsoMessageView(spec).wrap(Unpooled.wrappedBuffer(bytes)));
            assertThat(IsoMessage.from(reused)).isEqualTo(IsoMessage.decode(spec, bytes));
        }
        byte[] cut = purchase.encode(spec);
        byte[] shorter = java.util.Arrays.copyOf(cut, cut.length - 3);
        IsoCodecException expected = org.junit.jupiter.api.Assertions.assertThrows(IsoCodecException.class,
                () -> new IsoMessageView(spec).wrap(Unpooled.wrappedBuffer(shorter)));
        assertThatThrownBy(() -> reused.wrap(Unpooled.wrappedBuffer(shorter))).hasMessage(expected.getMessage());
        byte[] again = shortPan.encode(spec);
        reused.wrap(Unpooled.wrappedBuffer(again));
        assertReadAlike(reused, new IsoMessageView(spec).wrap(Unpooled.wrappedBuffer(again)));
    }

    /** Every read of every field of two views of the same bytes (both heap frames) agrees (values, offsets, lengths, checks). */
    static void assertReadAlike(IsoMessageView actual, IsoMessageView expected) {
        assertReadAlike(actual, expected, true);
    }

    /**
     * As {@link #assertReadAlike(IsoMessageView, IsoMessageView)}; with {@code sameFrameKind}
     * false (a heap frame against a direct one) a bad number in {@code getLong} need only fail in
     * both: the heap path's message names the format and the MTI, the direct path's does not.
     */
    static void assertReadAlike(IsoMessageView actual, IsoMessageView expected, boolean sameFrameKind) {
        assertThat(actual.fieldCount()).isEqualTo(expected.fieldCount());
        assertThat(actual.mti()).isEqualTo(expected.mti());
        assertThat(actual.frameLength()).isEqualTo(expected.frameLength());
        assertThat(actual.toString()).isEqualTo(expected.toString());
        for (int i = 0; i < expected.fieldCount(); i++) {
            int field = expected.fieldAt(i);
            assertThat(actual.fieldAt(i)).isEqualTo(field);
            assertThat(actual.contentOffset(field)).as("field %d", field).isEqualTo(expected.contentOffset(field));
            assertThat(actual.length(field)).as("field %d", field).isEqualTo(expected.length(field));
            assertThat(actual.rawLength(field)).as("field %d", field).isEqualTo(expected.rawLength(field));
            assertThat(actual.getString(field)).as("field %d", field).isEqualTo(expected.getString(field));
            assertThat(actual.getBytes(field)).as("field %d", field).isEqualTo(expected.getBytes(field));
            ByteBuf actualRaw = Unpooled.buffer();
            ByteBuf expectedRaw = Unpooled.buffer();
            actual.copyRawTo(field, actualRaw);
            expected.copyRawTo(field, expectedRaw);
            assertThat(actualRaw).as("field %d", field).isEqualTo(expectedRaw);
            assertThat(actual.slice(field)).as("field %d", field).isEqualTo(expected.slice(field));
            if (actual.fieldSpec(field).type() == io.isoswitch.codec.spec.FieldType.N) {
                String actualLong = outcome(() -> actual.getLong(field));
                String expectedLong = outcome(() -> expected.getLong(field));
                if (sameFrameKind || !expectedLong.startsWith("error: ")) {
                    assertThat(actualLong).as("field %d", field).isEqualTo(expectedLong);
                } else {
                    assertThat(actualLong).as("field %d", field).startsWith("error: field " + field + " at offset");
                }
            }
        }
        assertThat(outcome(() -> {
            actual.validate();
            return "valid";
        })).isEqualTo(outcome(() -> {
            expected.validate();
            return "valid";
        }));
    }

    private static String outcome(java.util.concurrent.Callable<Object> read) {
        try {
            return String.valueOf(read.call());
        } catch (IsoCodecException e) {
            return "error: " + e.getMessage() + " stan=" + e.stan();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void readsTheBenchPurchaseThroughTypedAccessors() {
        ByteBuf frame = Hex.buffer(Hex.golden("purchase-0200-iso87binary.hex"));
        view.wrap(frame);
        assertThat(view.mti()).isEqualTo(200);
        assertThat(view.mtiString()).isEqualTo("0200");
        assertThat(view.processingCode()).isZero();
        assertThat(view.amountMinor()).isEqualTo(12345L);
        assertThat(view.stan()).isEqualTo(123456);
        assertThat(view.maskedPan()).isEqualTo("476173******0119");
        assertThat(view.terminalId().toString()).isEqualTo("TERM0001");
        assertThat(view.merchantId().toString()).isEqualTo("MERCHANT0000001");
        assertThat(view.currencyCode()).isEqualTo(840);
        assertThat(view.getString(35)).isEqualTo("4761739001010119=28122011143804400000");
        assertThat(view.getString(43)).endsWith("SAN FRANCISCOCAUS");
        assertThat(view.getBytes(52)).hasSize(8);
        assertThat(view.has(39)).isFalse();
        assertThat(view.toString()).doesNotContain("4761739001010119").contains("fields=2,3,4,7,11");
    }

    @Test
    void echoesRawFieldsIntoAResponseByteForByte() {
        ByteBuf frame = Hex.buffer(Hex.golden("purchase-0200-iso87binary.hex"));
        view.wrap(frame);
        ByteBuf out = PooledByteBufAllocator.DEFAULT.buffer();
        try {
            IsoMessageWriter writer = new IsoMessageWriter(Dialects.iso87binary()).begin(out, view.mti());
            for (int i = 0; i < view.fieldCount(); i++) {
                writer.copy(view, view.fieldAt(i));
            }
            writer.finish();
            assertThat(Hex.of(out)).isEqualTo(Hex.golden("purchase-0200-iso87binary.hex"));
        } finally {
            out.release();
        }
    }

    @Test
    void buildsAResponseFromItsRequestWithoutDecodingEchoFields() {
        view.wrap(Hex.buffer(Hex.golden("purchase-0200-iso87binary.hex")));
        ByteBuf out = Unpooled.buffer();
        try {
            respond(out);
        } finally {
            out.release();
        }
    }

    private void respond(ByteBuf out) {
        new IsoMessageWriter(Dialects.iso87binary()).begin(out, 210)
                .copyPresent(view, 2, 3, 4, 7, 11, 12, 13)
                .field(37, "000000000001").field(38, "A1B2C3").field(39, "00")
                .copyPresent(view, 41, 42, 49).finish();
        IsoMessageView response = new IsoMessageView(Dialects.iso87binary()).wrap(out);
        assertThat(response.mti()).isEqualTo(210);
        assertThat(response.responseCode().toString()).isEqualTo("00");
        assertThat(response.amountMinor()).isEqualTo(12345L);
        assertThat(response.stan()).isEqualTo(view.stan());
        assertThat(response.getString(2)).isEqualTo(view.getString(2));
    }

    @Test
    void rejectsATruncatedFrameNamingFieldAndKeepingMtiAndStan() {
        byte[] whole = Hex.bytes(Hex.golden("purchase-0200-iso87binary.hex"));
        ByteBuf truncated = Unpooled.wrappedBuffer(whole, 0, whole.length - 3);
        assertThatThrownBy(() -> view.wrap(truncated))
                .isInstanceOfSatisfying(IsoCodecException.class, e -> {
                    assertThat(e.fieldPath()).isEqualTo("64");
                    assertThat(e.mti()).isEqualTo("0200");
                    assertThat(e.stan()).isEqualTo("123456");
                    assertThat(e.getMessage()).contains("field 64").doesNotContain("4761739001010119");
                });
        assertThat(view.fieldCount()).isZero();
    }

    /**
     * The heap-array pass adds fixed fields up without a check per field and traces an overrun back
     * when it next reads the frame; wherever the frame is cut, the error must still name the field
     * cut short, at that field's offset, as the checked pass over a direct buffer does.
     */
    @Test
    void namesTheFieldCutShortWhereverTheFrameEnds() {
        byte[] whole = Hex.bytes(Hex.golden("purchase-0200-iso87binary.hex"));
        view.wrap(Unpooled.wrappedBuffer(whole));
        int[] fields = new int[view.fieldCount()];
        int[] offsets = new int[fields.length];
        int[] halves = new int[fields.length];
        for (int i = 0; i < fields.length; i++) {
            fields[i] = view.fieldAt(i);
            offsets[i] = view.contentOffset(fields[i]);
            halves[i] = view.slice(fields[i]).readableBytes() / 2;
        }
        IsoMessageView checked = new IsoMessageView(Dialects.iso87binary());
        for (int i = 0; i < fields.length; i++) {
            int field = fields[i];
            int cut = offsets[i] + halves[i]; // a 1-byte field is cut before its byte
            ByteBuf direct = Unpooled.directBuffer(cut).writeBytes(whole, 0, cut);
            try {
                IsoCodecException viaArray = catchWrap(view, Unpooled.wrappedBuffer(whole, 0, cut));
                IsoCodecException viaBuffer = catchWrap(checked, direct);
                assertThat(viaArray.fieldPath()).as("cut in field %d", field).isEqualTo(Integer.toString(field));
                assertThat(viaArray.offset()).as("cut in field %d", field).isEqualTo(offsets[i]);
                assertThat(viaArray.getMessage()).isEqualTo(viaBuffer.getMessage());
                assertThat(viaArray.stan()).isEqualTo(field > 11 ? "123456" : null);
                assertThat(view.fieldCount()).isZero();
            } finally {
                direct.release();
            }
        }
    }

    private static IsoCodecException catchWrap(IsoMessageView target, ByteBuf frame) {
        try {
            target.wrap(frame);
        } catch (IsoCodecException e) {
            return e;
        }
        throw new AssertionError("expected the cut frame to be rejected");
    }
}
