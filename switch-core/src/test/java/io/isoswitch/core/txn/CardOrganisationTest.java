package io.isoswitch.core.txn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The card organisation a UnionPay answer names in 63.1, by the PAN's first digits. */
class CardOrganisationTest {
    @ParameterizedTest
    @CsvSource({
            "6212345678901234, CUP",
            "4761739001010010, VIS",
            "5100000000000000, MCC",
            "5599999999999999, MCC",
            "2221000000000000, MCC",
            "2720999999999999, MCC",
            "3530111333300000, JCB",
            "340000000000009, AEX",
            "370000000000002, AEX"})
    void namesTheOrganisationOfAKnownScheme(String pan, String code) {
        assertThat(CardOrganisation.code(pan)).contains(code);
    }

    @ParameterizedTest
    @ValueSource(strings = {"6011000000000004", "6500000000000002", "9999000000000000", "2220999999999999", "123"})
    void namesNoneForAnotherSchemeRatherThanAWrongOne(String pan) {
        assertThat(CardOrganisation.code(pan)).isEmpty();
    }
}
