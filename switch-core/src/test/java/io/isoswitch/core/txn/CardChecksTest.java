package io.isoswitch.core.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import io.isoswitch.testkit.gen.Gens;
import java.time.YearMonth;
import org.junit.jupiter.api.Test;

class CardChecksTest {
    @Test
    void aTrackAsksForAPinWhenItsServiceCodeSaysPinRequiredOrPromptedForOrCannotBeRead() {
        for (char third : "03567".toCharArray()) {
            assertThat(CardChecks.trackAsksForPin("022", "4761739001010010=281222" + third + "123", false)).as("x2" + third).isTrue();
            assertThat(CardChecks.trackAsksForPin("902", "6222020000000001=281210" + third, false)).as("10" + third).isTrue();
        }
        for (char third : "1249".toCharArray()) {
            assertThat(CardChecks.trackAsksForPin("802", "4761739001010010=281222" + third + "123", false)).as("x2" + third).isFalse();
        }
        assertThat(CardChecks.trackAsksForPin("022", "4761739001010010=2812", false)).as("no service code").isTrue();
        assertThat(CardChecks.trackAsksForPin("022", "4761739001010010", false)).as("no separator").isTrue();
        assertThat(CardChecks.trackAsksForPin("022", "4761739001010010=28122A1", false)).as("not digits").isTrue();
        assertThat(CardChecks.trackAsksForPin("012", null, false)).as("keyed, no track").isFalse();
    }

    @Test
    void onlyAChipOrContactlessReadWithItsChipDataLeavesThePinToTheCardsOwnCvmList() {
        String pinRequired = "4761739001010010=2812220123";
        assertThat(CardChecks.trackAsksForPin("051", pinRequired, true)).as("chip").isFalse();
        assertThat(CardChecks.trackAsksForPin("072", pinRequired, true)).as("contactless chip").isFalse();
        for (String read : new String[] {"051", "072", "912", "952", "012", "022", "802", "902"}) {
            assertThat(CardChecks.trackAsksForPin(read, pinRequired, false)).as(read + " without field 55").isTrue();
        }
        assertThat(CardChecks.trackAsksForPin("912", pinRequired, true)).as("contactless stripe").isTrue();
        assertThat(CardChecks.trackAsksForPin(null, pinRequired, false)).as("no field 22").isTrue();
    }

    @Test
    void acceptsWellKnownTestPans() {
        assertThat(CardChecks.validPan("4111111111111111")).isTrue();
        assertThat(CardChecks.validPan("6222021234567890127")).isFalse();
        assertThat(CardChecks.validPan("5500000000000004")).isTrue();
        assertThat(CardChecks.validPan("6011000990139424")).isTrue();
    }

    @Test
    void rejectsPansOfTheWrongLengthOrWithNonDigits() {
        assertThat(CardChecks.validPan("41111111111")).isFalse();
        assertThat(CardChecks.validPan("41111111111111111111")).isFalse();
        assertThat(CardChecks.validPan("4111 1111 1111 1111")).isFalse();
        assertThat(CardChecks.validPan(null)).isFalse();
    }

    @Test
    void changingAnyOneDigitBreaksTheCheck() {
        qt().withExamples(1000).forAll(Gens.numericStrings(11, 18), integers().between(0, 17), integers().between(1, 9))
                .checkAssert((body, position, delta) -> {
                    String pan = body + checkDigit(body);
                    assertThat(CardChecks.validPan(pan)).isTrue();
                    int at = position % pan.length();
                    char changed = (char) ('0' + (pan.charAt(at) - '0' + delta) % 10);
                    String mutated = pan.substring(0, at) + changed + pan.substring(at + 1);
                    assertThat(CardChecks.validPan(mutated)).isFalse();
                });
    }

    @Test
    void aCardIsValidThroughTheEndOfItsExpiryMonth() {
        YearMonth now = YearMonth.of(2026, 11);
        assertThat(CardChecks.expired("2611", now)).isFalse();
        assertThat(CardChecks.expired("2612", now)).isFalse();
        assertThat(CardChecks.expired("2610", now)).isTrue();
        assertThat(CardChecks.expired("2513", now)).isTrue();
        assertThat(CardChecks.expired("26AB", now)).isTrue();
        assertThat(CardChecks.expired("261", now)).isTrue();
        assertThat(CardChecks.readableExpiry("2612")).isTrue();
        assertThat(CardChecks.readableExpiry("2613")).isFalse();
        assertThat(CardChecks.readableExpiry("2600")).isFalse();
        assertThat(CardChecks.readableExpiry("26AB")).isFalse();
        assertThat(CardChecks.readableExpiry(null)).isFalse();
    }

    private static char checkDigit(String body) {
        for (char c = '0'; c <= '9'; c++) {
            if (CardChecks.validPan(body + c)) {
                return c;
            }
        }
        throw new AssertionError("no check digit for a numeric body");
    }
}
