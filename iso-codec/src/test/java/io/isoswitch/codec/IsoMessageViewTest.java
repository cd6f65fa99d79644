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
