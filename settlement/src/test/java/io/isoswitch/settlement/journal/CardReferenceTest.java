package io.isoswitch.settlement.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.isoswitch.settlement.Requests;
import org.junit.jupiter.api.Test;

class CardReferenceTest {
    private static final String CLEAR_PAN = "4761739001010119";

    @Test
    void refusesAClearPanAsTheMaskedPanWithoutEchoingIt() {
        assertThatThrownBy(() -> CardReference.tokenOnly(new byte[32], CLEAR_PAN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maskedPan")
                .hasMessageNotContaining(CLEAR_PAN);
    }

    /** A request that names no card (a reversal) is recorded as {@link CardReference#NONE}, and only that is "none". */
    @Test
    void noCardIsATokenOfZerosNamedNoneAndNothingElseMayBeNone() {
        assertThat(CardReference.NONE.named()).isFalse();
        assertThat(CardReference.NONE.panToken()).containsOnly(0);
        assertThat(CardReference.tokenOnly(new byte[] {1, 2, 3}, "476173******0119").named()).isTrue();
        byte[] realToken = new byte[32];
        realToken[0] = 1;
        assertThatThrownBy(() -> CardReference.tokenOnly(realToken, "none")).hasMessageContaining("maskedPan");
    }

    @Test
    void aJournalRequestShowsOnlyTheMaskedPan() {
        JournalRequest request = Requests.purchase("node-a", "T0000001", "000001", 100, "issuer-a");

        assertThat(request.toString()).contains("476173******0119").doesNotContain(request.card().panTokenHex());
    }

    @Test
    void copiesItsBytesSoCallersCannotChangeARecord() {
        byte[] token = {1, 2, 3};
        CardReference card = CardReference.tokenOnly(token, "476173******0119");
        token[0] = 9;
        card.panToken()[1] = 9;

        assertThat(card.panToken()).containsExactly(1, 2, 3);
        assertThat(card.panTokenHex()).isEqualTo("010203");
    }

    @Test
    void requiresTheDataKeyOfACiphertext() {
        assertThatThrownBy(() -> new CardReference(new byte[32], "476173******0119", new byte[16], null))
                .hasMessageContaining("dataKeyId");
    }

    @Test
    void theIdempotencyKeyTreatsARepeatAsTheSameMessageClass() {
        assertThat(IdempotencyKey.mtiClassOf("0200")).isEqualTo(IdempotencyKey.mtiClassOf("0201"));
        assertThat(IdempotencyKey.mtiClassOf("0400")).isNotEqualTo(IdempotencyKey.mtiClassOf("0200"));
    }
}
