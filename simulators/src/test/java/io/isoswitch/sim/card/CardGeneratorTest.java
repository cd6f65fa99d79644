package io.isoswitch.sim.card;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class CardGeneratorTest {
    /** A test enroller: the "PVV" is the PIN reversed, enough to prove the generator wires it through. */
    static final PinEnroller REVERSING = (pan, pin) -> PinVerificationData.pvv(1, new StringBuilder(pin).reverse().toString());

    final CardGenerator generator = new CardGenerator(CardGenerator.Options.defaults(List.of("476173", "52000011")),
            REVERSING);

    @Test
    void sameSeedGivesTheSameCards() {
        assertThat(generator.generate(50, 42)).isEqualTo(generator.generate(50, 42));
        assertThat(generator.generate(50, 42)).isNotEqualTo(generator.generate(50, 43));
    }

    @Test
    void makesUniqueLuhnValidPansRoundRobinUnderTheBins() {
        List<IssuedCard> cards = generator.generate(200, 7);

        assertThat(cards).extracting(c -> c.account().pan()).doesNotHaveDuplicates()
                .allSatisfy(pan -> assertThat(Pans.isValid(pan)).isTrue())
                .allSatisfy(pan -> assertThat(pan).hasSize(16));
        assertThat(cards.get(0).account().pan()).startsWith("476173");
        assertThat(cards.get(1).account().pan()).startsWith("52000011");
        assertThat(cards).extracting(c -> c.account().accountId()).doesNotHaveDuplicates();
    }

    @Test
    void enrollsEachCardsPinAndStaysInsideTheBalanceBounds() {
        for (IssuedCard card : generator.generate(100, 3)) {
            assertThat(card.pin()).hasSize(4);
            assertThat(card.account().pinVerification().value())
                    .isEqualTo(new StringBuilder(card.pin()).reverse().toString());
            assertThat(card.account().openingBalanceMinor()).isBetween(10_000L, 500_000L);
            assertThat(card.account().openingBalanceMinor() % 100).isZero();
            assertThat(card.account().status()).isEqualTo(CardStatus.ACTIVE);
            assertThat(card.account().expiry()).isAfter(CardGenerator.Options.defaults(List.of("476173")).issuedIn());
        }
    }

    @Test
    void generatedCardsSurviveTheCardFile() {
        List<IssuedCard> cards = generator.generate(30, 11);
        StringWriter out = new StringWriter();
        CardCsv.write(cards, out);

        assertThat(CardCsv.read(new StringReader(out.toString()))).isEqualTo(cards);
    }
}
