package io.isoswitch.security;

import static io.isoswitch.security.TestHsm.HSM;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

class MacProperties {
    private static final Map<MacAlgorithm, SecureKey> KEYS = new EnumMap<>(MacAlgorithm.class);

    static {
        for (MacAlgorithm algorithm : MacAlgorithm.values()) {
            KeyAlgorithm keyAlgorithm = algorithm == MacAlgorithm.AES_CMAC ? KeyAlgorithm.AES_128
                    : algorithm == MacAlgorithm.SM4_CBC_MAC ? KeyAlgorithm.SM4 : KeyAlgorithm.TDES_2KEY;
            KEYS.put(algorithm, HSM.generateKey(KeyKind.TAK, keyAlgorithm));
        }
    }

    @Property(tries = 300)
    void verifyAcceptsItsOwnMacAndRejectsEverySingleFlippedBit(@ForAll MacAlgorithm algorithm, @ForAll @Size(max = 300) byte[] data) {
        SecureKey key = KEYS.get(algorithm);
        byte[] mac = HSM.generateMac(key, algorithm, data, 0, data.length);
        assertThat(mac).hasSize(algorithm.length());
        assertThat(HSM.verifyMac(key, algorithm, data, 0, data.length, mac)).isTrue();
        for (int bit = 0; bit < mac.length * 8; bit++) {
            byte[] flipped = mac.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThat(HSM.verifyMac(key, algorithm, data, 0, data.length, flipped)).as("MAC bit %d", bit).isFalse();
        }
    }

    @Property(tries = 300)
    void verifyRejectsDataWithAnyFlippedBit(@ForAll MacAlgorithm algorithm, @ForAll @Size(min = 1, max = 300) byte[] data,
                                            @ForAll int position) {
        SecureKey key = KEYS.get(algorithm);
        byte[] mac = HSM.generateMac(key, algorithm, data, 0, data.length);
        int bit = Math.floorMod(position, data.length * 8);
        byte[] altered = data.clone();
        altered[bit / 8] ^= (byte) (1 << (bit % 8));
        assertThat(HSM.verifyMac(key, algorithm, altered, 0, altered.length, mac)).isFalse();
    }

    @Property(tries = 200)
    void verifyAcceptsTheLeftmostFourBytesButNoLess(@ForAll MacAlgorithm algorithm, @ForAll @Size(max = 100) byte[] data) {
        SecureKey key = KEYS.get(algorithm);
        byte[] mac = HSM.generateMac(key, algorithm, data, 0, data.length);
        assertThat(HSM.verifyMac(key, algorithm, data, 0, data.length, Arrays.copyOf(mac, 4))).isTrue();
        assertThat(HSM.verifyMac(key, algorithm, data, 0, data.length, Arrays.copyOf(mac, 3))).isFalse();
    }
}
