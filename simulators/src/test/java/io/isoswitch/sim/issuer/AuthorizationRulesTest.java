package io.isoswitch.sim.issuer;

import static io.isoswitch.sim.issuer.Fixtures.EUR;
import static io.isoswitch.sim.issuer.Fixtures.card;
import static io.isoswitch.sim.issuer.Fixtures.ref;
import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.sim.card.CardAccount;
import java.time.YearMonth;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuthorizationRulesTest {
    static final String PAN = "4111111111111111";
    static final YearMonth NOW = YearMonth.of(2026, 11);
    final IssuerPolicy policy = IssuerPolicy.defaults();

    Optional<ResponseCode> screen(String processingCode, CardAccount card, PinCheck pin) {
        AuthorizationRequest request = AuthorizationRequest.of(MessageClass.FINANCIAL, processingCode, 100, EUR, PAN,
                ref(1)).withPin(pin);
        return AuthorizationRules.screen(request, card, NOW, policy, 0).decline();
    }

    @Test
    void refusesCashOnAGoodsAndServicesOnlyCardAndPurchasesOnAnAtmOnlyCard() {
        CardAccount goodsOnly = card("A", PAN, 1_000).withServiceCode("202");
        CardAccount atmOnly = card("A", PAN, 1_000).withServiceCode("203");

        assertThat(screen("010000", goodsOnly, PinCheck.VERIFIED)).contains(ResponseCode.NOT_PERMITTED_TO_CARDHOLDER);
        assertThat(screen("000000", goodsOnly, PinCheck.VERIFIED)).isEmpty();
        assertThat(screen("000000", atmOnly, PinCheck.VERIFIED)).contains(ResponseCode.NOT_PERMITTED_TO_CARDHOLDER);
        assertThat(screen("010000", atmOnly, PinCheck.VERIFIED)).isEmpty();
    }

    @Test
    void requiresAPinWhenTheServiceCodeSaysSoExceptForRefunds() {
        CardAccount pinRequired = card("A", PAN, 1_000).withServiceCode("220");

        assertThat(screen("000000", pinRequired, PinCheck.NOT_PRESENT)).contains(ResponseCode.INCORRECT_PIN);
        assertThat(screen("200000", pinRequired, PinCheck.NOT_PRESENT)).isEmpty();
        assertThat(screen("000000", card("A", PAN, 1_000), PinCheck.NOT_PRESENT)).isEmpty();
    }

    @Test
    void declinesACardWhoseExpiryMonthHasPassed() {
        assertThat(screen("000000", card("A", PAN, 1_000).withExpiry(YearMonth.of(2026, 10)), PinCheck.VERIFIED))
                .contains(ResponseCode.EXPIRED_CARD);
        assertThat(screen("000000", card("A", PAN, 1_000).withExpiry(NOW), PinCheck.VERIFIED)).isEmpty();
    }

    @Test
    void supportsEachTransactionTypeOnlyInItsMessageClasses() {
        assertThat(AuthorizationRules.supportedType(MessageClass.AUTHORIZATION, "000000")).contains(TransactionType.PURCHASE);
        assertThat(AuthorizationRules.supportedType(MessageClass.AUTHORIZATION, "200000")).isEmpty();
        assertThat(AuthorizationRules.supportedType(MessageClass.FINANCIAL_ADVICE, "310000")).isEmpty();
        assertThat(AuthorizationRules.supportedType(MessageClass.FINANCIAL, "31")).isEmpty();
    }

    @Test
    void countsWrongPinsUpToTheLimit() {
        AuthorizationRequest wrong = AuthorizationRequest.of(MessageClass.FINANCIAL, "000000", 100, EUR, PAN, ref(1))
                .withPin(PinCheck.WRONG);
        CardAccount card = card("A", PAN, 1_000);

        assertThat(AuthorizationRules.screen(wrong, card, NOW, policy, 1))
                .isEqualTo(new AuthorizationRules.Screening(Optional.of(ResponseCode.INCORRECT_PIN), 2));
        assertThat(AuthorizationRules.screen(wrong, card, NOW, policy, 2))
                .isEqualTo(new AuthorizationRules.Screening(Optional.of(ResponseCode.PIN_TRIES_EXCEEDED), 3));
    }

    @Test
    void mapsMtisToClassesAndRepeats() {
        assertThat(MessageClass.ofRequestMti(401)).isEqualTo(MessageClass.REVERSAL);
        assertThat(MessageClass.isRepeat(401)).isTrue();
        assertThat(MessageClass.ofRequestMti(220).responseMti()).isEqualTo(230);
    }
}
