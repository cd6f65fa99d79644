package io.isoswitch.core.txn;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.codec.IsoMessageView;
import io.isoswitch.codec.spec.Dialects;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UnionPayField60Test {

    @ParameterizedTest
    @ValueSource(strings = {"22000001000", "22000001000601", "22000001000601001", "00000001201"})
    void aField60WithItsThreeLeadingSubfieldsIsComplete(String field60) {
        assertThat(UnionPayField60.complete(withField60(field60))).isTrue();
    }

    /** Regression (an outside judge): a purchase of 60 = 22, 60.1 alone, was approved and counted in the batch. */
    @ParameterizedTest
    @ValueSource(strings = {"22", "22000001", "2200000100", "00000001"})
    void aField60ThatEndsBefore60Point3IsIncomplete(String field60) {
        assertThat(UnionPayField60.complete(withField60(field60))).isFalse();
    }

    @Test
    void noField60IsIncomplete() {
        assertThat(UnionPayField60.complete(withField60(null))).isFalse();
    }

    private static IsoMessageView withField60(String field60) {
        IsoMessage message = new IsoMessage("0200").set(3, "000000").set(11, "000001");
        if (field60 != null) {
            message.set(60, field60);
        }
        return new IsoMessageView(Dialects.cupPos()).wrap(Unpooled.wrappedBuffer(message.encode(Dialects.cupPos())));
    }
}
