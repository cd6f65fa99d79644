package io.isoswitch.sim.card;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.io.StringWriter;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.Test;

class CardCsvTest {
    static final String PAN = "4111111111111111";

    static IssuedCard card(String accountId, String pan, String pin) {
        return new IssuedCard(new CardAccount(accountId, pan, YearMonth.of(2028, 12), "201",
                PinVerificationData.pvv(1, "4821"), "123", 150_000, 978, CardStatus.ACTIVE), pin);
    }

    @Test
    void readsWhatItWrote() {
        List<IssuedCard> cards = List.of(
                card("ACC1", PAN, "1234"),
                new IssuedCard(new CardAccount("ACC2", "5555555555554444", YearMonth.of(2027, 1), "101",
                        PinVerificationData.ibm3624("0042"), "999", 0, 840, CardStatus.STOLEN), ""));
        StringWriter out = new StringWriter();
        CardCsv.write(cards, out);

        assertThat(out.toString()).startsWith(
                "account_id,pan,expiry,service_code,pin_method,pvki,pin_data,cvv,balance,currency,status,pin\n"
                        + "ACC1,4111111111111111,2812,201,pvv,1,4821,123,150000,978,active,1234\n");
        assertThat(CardCsv.read(new StringReader(out.toString()))).isEqualTo(cards);
    }

    @Test
    void readsColumnsInAnyOrderAndWithoutThePinColumn() {
        String file = "pan,account_id,status,currency,balance,cvv,pin_data,pvki,pin_method,service_code,expiry\n"
                + PAN + ",A-7,Lost,978,2500,321,123456,,IBM3624,226,2701\n";

        List<IssuedCard> cards = CardCsv.read(new StringReader(file));

        assertThat(cards).singleElement().satisfies(c -> {
            assertThat(c.hasPin()).isFalse();
            assertThat(c.account().accountId()).isEqualTo("A-7");
            assertThat(c.account().status()).isEqualTo(CardStatus.LOST);
            assertThat(c.account().expiry()).isEqualTo(YearMonth.of(2027, 1));
            assertThat(c.account().pinVerification()).isEqualTo(PinVerificationData.ibm3624("123456"));
            assertThat(c.account().openingBalanceMinor()).isEqualTo(2500);
        });
    }

    @Test
    void namesTheLineAndColumnOfABadValueWithoutPrintingThePan() {
        String file = "account_id,pan,expiry,service_code,pin_method,pvki,pin_data,cvv,balance,currency,status\n"
                + "ACC1," + PAN + ",2812,201,pvv,1,4821,123,100,978,active\n"
                + "ACC2,4111111111111112,2812,201,pvv,1,4821,123,100,978,active\n";

        assertThatThrownBy(() -> CardCsv.read(new StringReader(file)))
                .isInstanceOf(CardFileException.class)
                .hasMessageContaining("line 2")
                .hasMessageContaining("pan")
                .hasMessageNotContaining("4111111111111112")
                .satisfies(e -> assertThat(((CardFileException) e).line()).isEqualTo(2));
    }

    @Test
    void rejectsARepeatedPanOrAccount() {
        StringWriter out = new StringWriter();
        CardCsv.write(List.of(card("ACC1", PAN, ""), card("ACC2", PAN, "")), out);

        assertThatThrownBy(() -> CardCsv.read(new StringReader(out.toString())))
                .hasMessageContaining("line 2").hasMessageContaining("pan repeats");
    }

    @Test
    void rejectsAnUnknownColumnAndABadExpiry() {
        assertThatThrownBy(() -> CardCsv.read(new StringReader("pan,colour\n" + PAN + ",red\n")))
                .isInstanceOf(CardFileException.class)
                .hasMessageNotContaining(PAN);
        String badExpiry = "account_id,pan,expiry,service_code,pin_method,pvki,pin_data,cvv,balance,currency,status\n"
                + "ACC1," + PAN + ",1328,201,pvv,1,4821,123,100,978,active\n";
        assertThatThrownBy(() -> CardCsv.read(new StringReader(badExpiry))).hasMessageContaining("expiry: expected YYMM");
    }

    @Test
    void neverShowsCardSecretsInToString() {
        IssuedCard c = card("ACC1", PAN, "1234");
        assertThat(c.toString()).doesNotContain(PAN).doesNotContain("1234").doesNotContain("4821")
                .doesNotContain("123,").contains("411111******1111");
    }
}
