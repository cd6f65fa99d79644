package io.isoswitch.sim.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ByteDamageTest {
    private static final int MESSAGES = 200_000;

    @Test
    void everyDamagedCopyDiffersFromItsInputAndLeavesTheInputAlone() {
        SplittableRandom random = new SplittableRandom(4_217);
        int handedBackWhole = 0;
        for (int i = 0; i < MESSAGES; i++) {
            // short messages of few distinct byte values make overwrites and cancelling flips likely
            byte[] message = new byte[1 + random.nextInt(4)];
            for (int b = 0; b < message.length; b++) {
                message[b] = (byte) random.nextInt(2);
            }
            byte[] input = message.clone();

            byte[] damaged = ByteDamage.damage(message, random);

            assertThat(message).isEqualTo(input);
            assertThat(damaged).isNotEmpty();
            if (Arrays.equals(damaged, message)) {
                handedBackWhole++;
            }
        }
        assertThat(handedBackWhole).isZero();
    }

    @Test
    void anEmptyMessageCannotBeDamaged() {
        assertThatThrownBy(() -> ByteDamage.damage(new byte[0], new SplittableRandom(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
