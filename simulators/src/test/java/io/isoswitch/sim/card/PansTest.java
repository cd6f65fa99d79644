package io.isoswitch.sim.card;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PansTest {

    @Test
    void computesTheLuhnCheckDigitOfPublishedExamples() {
        assertThat(Pans.luhnCheckDigit("7992739871")).isEqualTo(3); // the classic Luhn example
        assertThat(Pans.luhnCheckDigit("411111111111111")).isEqualTo(1);
        assertThat(Pans.luhnCheckDigit("555555555555444")).isEqualTo(4);
    }

    @Test
    void acceptsValidPansAndRejectsAWrongCheckDigitOrLength() {
        assertThat(Pans.isValid("4111111111111111")).isTrue();
        assertThat(Pans.isValid("4111111111111112")).isFalse();
        assertThat(Pans.isValid("79927398713")).isFalse(); // valid Luhn but only 11 digits
        assertThat(Pans.isValid("41111111111111x1")).isFalse();
        assertThat(Pans.isValid(null)).isFalse();
    }

    @Test
    void masksAllButTheFirstSixAndLastFourDigits() {
        assertThat(Pans.mask("4111111111111111")).isEqualTo("411111******1111");
        assertThat(Pans.mask("6259651270007599123")).isEqualTo("625965*********9123");
        assertThat(Pans.mask("1234")).isEqualTo("****");
    }

    @Test
    void rejectsANonDigitLuhnPayload() {
        assertThatThrownBy(() -> Pans.luhnCheckDigit("12a4")).isInstanceOf(IllegalArgumentException.class);
    }
}
