package io.isoswitch.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import io.isoswitch.security.KeyAlgorithm;
import io.isoswitch.security.KeyKind;
import io.isoswitch.security.LocalMasterKey;
import io.isoswitch.security.MacAlgorithm;
import io.isoswitch.security.SecureKey;
import io.isoswitch.security.SoftwareHsm;
import io.isoswitch.testkit.gen.Gens;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The MAC each key caches per thread gives what a freshly keyed engine gives, whatever ran on the
 * thread before: other keys, other algorithms, and calls that threw part-way through an update.
 */
class CachedMacProperties {
    private static final SoftwareHsm HSM = new SoftwareHsm(
            LocalMasterKey.fromHex("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F"), new SecureRandom());
    private static final KeyAlgorithm[] KEY_ALGORITHMS =
            {KeyAlgorithm.TDES_2KEY, KeyAlgorithm.TDES_3KEY, KeyAlgorithm.AES_128, KeyAlgorithm.SM4};
    private static final int STEPS = 16;

    /** A freshly built and keyed engine: the reference the cached one must match. */
    private static byte[] fresh(MacAlgorithm algorithm, KeyAlgorithm keyAlgorithm, byte[] key, byte[] data, int offset, int length) {
        return Macs.compute(Macs.create(algorithm, keyAlgorithm, key.clone()), data, offset, length);
    }

    private static MacAlgorithm algorithmFor(KeyAlgorithm keyAlgorithm, Random random) {
        List<MacAlgorithm> accepted = Arrays.stream(MacAlgorithm.values()).filter(a -> a.accepts(keyAlgorithm)).toList();
        return accepted.get(random.nextInt(accepted.size()));
    }

    /** Key material of {@code keyAlgorithm}'s length, cut from 24 random bytes (and the 16 after them). */
    private static byte[] keyOf(KeyAlgorithm keyAlgorithm, byte[] material) {
        return Arrays.copyOf(material, keyAlgorithm.keyLength());
    }

    @Test
    void cachedEngineMatchesAFreshOneAcrossKeysAlgorithmsAndThrownCalls() {
        qt().withExamples(200).forAll(Gens.byteArrays(24, 24), Gens.byteArrays(24, 24), Gens.byteArrays(0, 300), Gens.ints())
                .checkAssert((materialA, materialB, data, seed) -> {
                    Random random = new Random(seed);
                    List<byte[]> clear = new ArrayList<>();
                    List<LoadedKey> loaded = new ArrayList<>();
                    for (KeyAlgorithm keyAlgorithm : KEY_ALGORITHMS) {
                        for (byte[] material : List.of(materialA, materialB)) {
                            byte[] key = keyOf(keyAlgorithm, material);
                            clear.add(key);
                            loaded.add(new LoadedKey(KeyKind.TAK, keyAlgorithm, key));
                        }
                    }
                    for (int step = 0; step < STEPS; step++) {
                        int which = random.nextInt(loaded.size());
                        LoadedKey key = loaded.get(which);
                        MacAlgorithm algorithm = algorithmFor(key.algorithm(), random);
                        int offset = random.nextInt(data.length + 1);
                        int length = random.nextInt(data.length - offset + 1);
                        if (random.nextInt(3) == 0) {
                            // past the end: the update throws after chaining whatever blocks fit
                            int overrun = data.length - offset + 1 + random.nextInt(16);
                            assertThatThrownBy(() -> Macs.compute(key.mac(algorithm), data, offset, overrun))
                                    .isInstanceOf(RuntimeException.class);
                        }
                        assertThat(Macs.compute(key.mac(algorithm), data, offset, length))
                                .as("step %d, %s under key %d, data[%d, +%d)", step, algorithm, which, offset, length)
                                .isEqualTo(fresh(algorithm, key.algorithm(), clear.get(which), data, offset, length));
                    }
                });
    }

    @Test
    void hsmMacMatchesAFreshEngineAcrossKeysAlgorithmsAndRejectedCalls() {
        qt().withExamples(100).forAll(Gens.byteArrays(24, 24), Gens.byteArrays(24, 24), Gens.byteArrays(0, 300), Gens.ints())
                .checkAssert((materialA, materialB, data, seed) -> {
                    Random random = new Random(seed);
                    List<byte[]> clear = new ArrayList<>();
                    List<KeyAlgorithm> algorithms = new ArrayList<>();
                    List<SecureKey> keys = new ArrayList<>();
                    for (KeyAlgorithm keyAlgorithm : KEY_ALGORITHMS) {
                        for (byte[] material : List.of(materialA, materialB)) {
                            byte[] key = keyOf(keyAlgorithm, material);
                            clear.add(key);
                            algorithms.add(keyAlgorithm);
                            keys.add(HSM.formKey(KeyKind.TAK, keyAlgorithm, new ArrayList<>(List.of(key.clone()))));
                        }
                    }
                    for (int step = 0; step < STEPS; step++) {
                        int which = random.nextInt(keys.size());
                        MacAlgorithm algorithm = algorithmFor(algorithms.get(which), random);
                        int offset = random.nextInt(data.length + 1);
                        int length = random.nextInt(data.length - offset + 1);
                        if (random.nextInt(3) == 0) {
                            int overrun = data.length - offset + 1 + random.nextInt(16);
                            assertThatThrownBy(() -> HSM.generateMac(keys.get(which), algorithm, data, offset, overrun))
                                    .isInstanceOf(IndexOutOfBoundsException.class);
                        }
                        byte[] expected = fresh(algorithm, algorithms.get(which), clear.get(which), data, offset, length);
                        assertThat(HSM.generateMac(keys.get(which), algorithm, data, offset, length))
                                .as("step %d, %s under key %d, data[%d, +%d)", step, algorithm, which, offset, length)
                                .isEqualTo(expected);
                        assertThat(HSM.verifyMac(keys.get(which), algorithm, data, offset, length, expected)).isTrue();
                    }
                });
    }
}
