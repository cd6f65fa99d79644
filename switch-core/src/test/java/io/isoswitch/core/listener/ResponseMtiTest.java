package io.isoswitch.core.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import org.junit.jupiter.api.Test;

class ResponseMtiTest {

    @Test
    void requestsAdvicesAndNotificationsOfKnownVersionsAreAnswerable() {
        assertThat(ResponseMti.answerable("0200")).isTrue();
        assertThat(ResponseMti.answerable("0401")).isTrue();
        assertThat(ResponseMti.answerable("0820")).isTrue();
        assertThat(ResponseMti.answerable("1100")).isTrue();
        assertThat(ResponseMti.answerable("0124")).isTrue();
    }

    @Test
    void responsesUnknownVersionsClassesAndNonsenseAreNot() {
        assertThat(ResponseMti.answerable("0210")).isFalse();
        assertThat(ResponseMti.answerable("9900")).isFalse();
        assertThat(ResponseMti.answerable("0000")).isFalse();
        assertThat(ResponseMti.answerable("0900")).isFalse();
        assertThat(ResponseMti.answerable("0206")).isFalse();
        assertThat(ResponseMti.answerable("02A0")).isFalse();
        assertThat(ResponseMti.answerable("020")).isFalse();
        assertThat(ResponseMti.answerable(null)).isFalse();
    }

    @Test
    void theNumericFormAgreesWithTheDigitsForEveryMti() {
        for (int mti = 0; mti <= 9999; mti++) {
            assertThat(ResponseMti.answerable(mti)).as("%04d", mti).isEqualTo(ResponseMti.answerable(String.format("%04d", mti)));
        }
        assertThat(ResponseMti.answerable(-1)).isFalse();
        assertThat(ResponseMti.answerable(10_200)).isFalse();
    }

    @Test
    void everyAnswerableMtiHasAResponseOfTheSameClassWithAnOddFunction() {
        qt().withExamples(2_000).forAll(integers().between(0, 9999)).checkAssert(mti -> {
            String digits = String.format("%04d", mti);
            if (ResponseMti.answerable(digits)) {
                int response = ResponseMti.of(mti);
                assertThat(response / 100).isEqualTo(mti / 100);
                assertThat(response / 10 % 10 % 2).isEqualTo(1);
                assertThat(ResponseMti.answerable(String.format("%04d", response))).isFalse();
            }
        });
    }
}
