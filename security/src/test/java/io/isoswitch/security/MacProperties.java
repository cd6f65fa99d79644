package io.isoswitch.security;

import static io.isoswitch.security.TestHsm.HSM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import io.isoswitch.testkit.gen.Gens;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class MacProperties {
    private static final Map<MacAlgorithm, SecureKey> KEYS = new EnumMap<>(MacAlgorithm.class);

    static {
        for (MacAlgorithm algorithm : MacAlgorithm.values()) {
            KeyAlgorithm keyAlgorithm = algorithm == MacAlgorithm.AES_CMAC ? KeyAlgorithm.AES_128
                    : algorithm == MacAlgorithm.SM4_CBC_MAC ? KeyAlgorithm.SM4 : KeyAlgorithm.TDES_2KEY;
            KEYS.put(algorithm, HSM.generateKey(KeyKind.TAK, keyAlgorithm));
        }
    }

    private static Gen<MacAlgorithm> algorithms() {
        return Generate.enumValues(MacAlgorithm.class);
    }

    @Test
    void verifyAcceptsItsOwnMacAndRejectsEverySingleFlippedBit() {
        qt().withExamples(300).forAll(algorithms(), Gens.byteArrays(0, 300)).checkAssert((algorithm, data) -> {
            SecureKey key = KEYS.get(algorithm);
            byte[] mac = HSM.generateMac(key, algorithm, data, 0, data.length);
            assertThat(mac).hasSize(algorithm.length());
            assertThat(HSM.verifyMac(key, algorithm, data, 0, data.length, mac)).isTrue();
            for (int bit = 0; bit < mac.length * 8; bit++) {
                byte[] flipped = mac.clone();
                flipped[bit / 8] ^= (byte) (1 << (bit % 8));
                assertThat(HSM.verifyMac(key, algorithm, data, 0, data.length, flipped)).as("MAC bit %d", bit).isFalse();
            }
        });
    }

    @Test
    void verifyRejectsDataWithAnyFlippedBit() {
        qt().withExamples(300).forAll(algorithms(), Gens.byteArrays(1, 300), Gens.ints())
                .checkAssert((algorithm, data, position) -> {
                    SecureKey key = KEYS.get(algorithm);
                    byte[] mac = HSM.generateMac(key, algorithm, data, 0, data.length);
                    int bit = Math.floorMod(position, data.length * 8);
                    byte[] altered = data.clone();
                    altered[bit / 8] ^= (byte) (1 << (bit % 8));
                    assertThat(HSM.verifyMac(key, algorithm, altered, 0, altered.length, mac)).isFalse();
                });
    }

    @Test
    void verifyAcceptsTheLeftmostFourBytesButNoLess() {
        qt().withExamples(200).forAll(algorithms(), Gens.byteArrays(0, 100)).checkAssert((algorithm, data) -> {
            SecureKey key = KEYS.get(algorithm);
            byte[] mac = HSM.generateMac(key, algorithm, data, 0, data.length);
            assertThat(HSM.verifyMac(key, algorithm, data, 0, data.length, Arrays.copyOf(mac, 4))).isTrue();
            assertThat(HSM.verifyMac(key, algorithm, data, 0, data.length, Arrays.copyOf(mac, 3))).isFalse();
        });
    }
}
