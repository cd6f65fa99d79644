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
import java.time.Clock;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the composer adds to an answer: the issuer's field 55, carried when the dialect can and left
 * out when not; in a UnionPay answer, the settlement date (field 15) of a journaled transaction and
 * the request's security control (53) echoed, as cup-pos.md §5 lists its fields; neither in ISO
 * 8583:1987 answers, whose third-party terminals may not parse fields they were not told of.
 */
class ResponseComposerTest {
    private static final byte[] ARPC = {(byte) 0x91, 0x0A, 1, 2, 3, 4, 5, 6, 7, 8, 0x30, 0x30};
    private static final LocalDate BUSINESS_DATE = LocalDate.of(2026, 3, 7);

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

    @Test
    void aUnionPayAnswerCarriesTheBusinessDateAsMonthAndDay() {
        assertThat(settled(Dialects.cupPos(), BUSINESS_DATE).getString(15)).isEqualTo("0307");
    }

    @Test
    void aUnionPayAnswerThatJournaledNothingHasNoSettlementDate() {
        assertThat(settled(Dialects.cupPos(), null).has(15)).isFalse();
    }

    @Test
    void aUnionPayAnswerEchoesTheRequestsSecurityControl() {
        assertThat(settled(Dialects.cupPos(), BUSINESS_DATE).getString(53)).isEqualTo("2600000000000000");
    }

    @Test
    void anIso87AnswerAddsNeitherSettlementDateNorSecurityControl() {
        for (MessageSpec spec : new MessageSpec[] {Dialects.iso87ascii(), Dialects.iso87binary()}) {
            IsoMessage answer = settled(spec, BUSINESS_DATE);
            assertThat(answer.getString(39)).isEqualTo("00");
            assertThat(answer.has(15)).as(spec.name() + " field 15").isFalse();
            assertThat(answer.has(53)).as(spec.name() + " field 53").isFalse();
        }
    }

    private static IsoMessage compose(MessageSpec spec, byte[] iccData) {
        return compose(spec, new Decision("00", Map.of(38, "123456", 55, iccData), null, "purchase", "bank-a"));
    }

    private static IsoMessage settled(MessageSpec spec, LocalDate settlementDate) {
        return compose(spec, new Decision("00", Map.of(38, "123456"), null, "purchase", "bank-a", null, settlementDate));
    }

    /** The composer as a listener of the dialect makes it: UnionPay answers follow the host's clock. */
    private static ResponseComposer composer(MessageSpec spec) {
        return new ResponseComposer(new IsoMessageWriter(spec), spec.name().equals(Dialects.cupPos().name()), Clock.systemUTC());
    }

    private static IsoMessage compose(MessageSpec spec, Decision decision) {
        IsoMessage request = new IsoMessage("0200").set(3, "000000").set(11, "000123").set(41, "T0000001")
                .set(53, "2600000000000000");
        IsoMessageView view = new IsoMessageView(spec).wrap(Unpooled.wrappedBuffer(request.encode(spec)));
        ByteBuf out = composer(spec).compose(view, decision, ByteBufAllocator.DEFAULT);
        try {
            return IsoMessage.decode(spec, ByteBufUtil.getBytes(out));
        } finally {
            out.release();
        }
    }
}
