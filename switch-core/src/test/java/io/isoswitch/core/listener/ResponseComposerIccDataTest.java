package io.isoswitch.core.listener;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.codec.IsoMessageView;
import io.isoswitch.codec.IsoMessageWriter;
import io.isoswitch.codec.spec.Dialects;
import io.isoswitch.codec.spec.MessageSpec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The issuer's field 55 in the terminal's answer: carried when the dialect can, left out when not. */
class ResponseComposerIccDataTest {
    private static final byte[] ARPC = {(byte) 0x91, 0x0A, 1, 2, 3, 4, 5, 6, 7, 8, 0x30, 0x30};

    @Test
    void carriesTheIssuersChipDataAsTheIssuerSentIt() {
        IsoMessage answer = compose(Dialects.cupPos(), ARPC);

        assertThat(answer.getString(39)).isEqualTo("00");
        assertThat(answer.getBytes(55)).isEqualTo(ARPC);
    }

    @Test
    void leavesOutChipDataLongerThanTheTerminalsDialectHoldsAndStillAnswers() {
        // an iso87binary issuer link carries 999 bytes of field 55; a UnionPay terminal 255
        byte[] scripts = new byte[300];
        scripts[0] = 0x72;
        scripts[1] = (byte) 0x82;
        scripts[2] = 0x01;
        scripts[3] = 0x28; // 296 bytes follow
        IsoMessage answer = compose(Dialects.cupPos(), scripts);

        assertThat(answer.getString(39)).isEqualTo("00");
        assertThat(answer.getString(38)).isEqualTo("123456");
        assertThat(answer.has(55)).isFalse();
    }

    @Test
    void leavesOutChipDataWhereTheDialectsFieldFiftyFiveIsText() {
        IsoMessage answer = compose(Dialects.iso87ascii(), ARPC);

        assertThat(answer.getString(39)).isEqualTo("00");
        assertThat(answer.has(55)).isFalse();
    }

    private static IsoMessage compose(MessageSpec spec, byte[] iccData) {
        IsoMessage request = new IsoMessage("0200").set(3, "000000").set(11, "000123").set(41, "T0000001");
        IsoMessageView view = new IsoMessageView(spec).wrap(Unpooled.wrappedBuffer(request.encode(spec)));
        Decision decision = new Decision("00", Map.of(38, "123456", 55, iccData), null, "purchase", "bank-a");
        ByteBuf out = new ResponseComposer(new IsoMessageWriter(spec), null).compose(view, decision, ByteBufAllocator.DEFAULT);
        try {
            return IsoMessage.decode(spec, ByteBufUtil.getBytes(out));
        } finally {
            out.release();
        }
    }
}
