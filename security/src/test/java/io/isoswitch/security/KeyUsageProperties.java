package io.isoswitch.security;

import static io.isoswitch.security.TestHsm.HSM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

/** Every operation refuses keys of kinds it may not use, with an error naming the operation and the kinds. */
class KeyUsageProperties {
    private static final Map<KeyKind, SecureKey> KEYS = new EnumMap<>(KeyKind.class);
    private static final SecureKey TPK = HSM.generateKey(KeyKind.TPK, KeyAlgorithm.TDES_2KEY);
    private static final String PAN = "4111111111111111";
    /** Every kind must be checked; random draws need this many to reach each of them. */
    private static final int EXAMPLES = 300;

    static {
        for (KeyKind kind : KeyKind.values()) {
            KeyAlgorithm algorithm = kind == KeyKind.DATA || kind == KeyKind.HMAC ? KeyAlgorithm.AES_256 : KeyAlgorithm.TDES_2KEY;
            KEYS.put(kind, HSM.generateKey(kind, algorithm));
        }
    }

    private static void refuses(KeyKind kind, Set<KeyKind> allowed, String operation, Consumer<SecureKey> call) {
        if (allowed.contains(kind)) {
            return;
        }
        assertThatThrownBy(() -> call.accept(KEYS.get(kind)))
                .isInstanceOf(KeyUsageException.class)
                .hasMessageContaining(operation)
                .hasMessageContaining("is a " + kind);
    }

    /**
     * Checks {@code law} for kinds drawn at random, then that every kind was drawn: with this many
     * draws over a dozen kinds, missing one has odds below one in a million, and missing one
     * would leave a kind unchecked.
     */
    private static void forEveryKind(Consumer<KeyKind> law) {
        Set<KeyKind> seen = EnumSet.noneOf(KeyKind.class);
        qt().withExamples(EXAMPLES).forAll(Generate.enumValues(KeyKind.class)).checkAssert(kind -> {
            seen.add(kind);
            law.accept(kind);
        });
        assertThat(seen).containsExactlyInAnyOrder(KeyKind.values());
    }

    @Test
    void pinOperationsRefuseAnythingButPinKeys() {
        forEveryKind(KeyUsageProperties::pinOperationsRefuse);
    }

    @Test
    void macCardAndPanOperationsRefuseOtherKinds() {
        forEveryKind(KeyUsageProperties::macCardAndPanOperationsRefuse);
    }

    private static void pinOperationsRefuse(KeyKind kind) {
        Set<KeyKind> pinKeys = Set.of(KeyKind.TPK, KeyKind.ZPK);
        byte[] block = HSM.encryptPin(TPK, "1234", PAN, PinBlockFormat.ISO_0);
        refuses(kind, pinKeys, "encryptPin", key -> HSM.encryptPin(key, "1234", PAN, PinBlockFormat.ISO_0));
        refuses(kind, pinKeys, "translatePin", key -> HSM.translatePin(TPK, block, PinBlockFormat.ISO_0, PAN, key, PinBlockFormat.ISO_0));
        refuses(kind, pinKeys, "translatePin", key -> HSM.translatePin(key, block, PinBlockFormat.ISO_0, PAN, TPK, PinBlockFormat.ISO_0));
        refuses(kind, Set.of(KeyKind.PVK), "visaPvv", key -> HSM.visaPvv(TPK, block, PinBlockFormat.ISO_0, PAN, key, 1));
        refuses(kind, Set.of(KeyKind.BDK), "translatePinFromDukpt", key -> HSM.translatePinFromDukpt(key,
                Ksn.parse("FFFF9876543210E00001"), block, PinBlockFormat.ISO_0, PAN, TPK, PinBlockFormat.ISO_0));
    }

    private static void macCardAndPanOperationsRefuse(KeyKind kind) {
        byte[] data = {1, 2, 3};
        refuses(kind, Set.of(KeyKind.TAK, KeyKind.ZAK), "generateMac", key -> HSM.generateMac(key, MacAlgorithm.ANSI_X9_19, data, 0, 3));
        refuses(kind, Set.of(KeyKind.TAK, KeyKind.ZAK), "verifyMac", key -> HSM.verifyMac(key, MacAlgorithm.ANSI_X9_19, data, 0, 3, new byte[8]));
        refuses(kind, Set.of(KeyKind.CVK), "generateCvv", key -> HSM.generateCvv(key, PAN, "2512", "101"));
        refuses(kind, Set.of(KeyKind.HMAC), "panToken", key -> HSM.panToken(key, PAN));
        refuses(kind, Set.of(KeyKind.DATA), "encryptPan", key -> HSM.encryptPan(key, PAN));
        refuses(kind, Set.of(KeyKind.TDK), "encryptData", key -> HSM.encryptData(key, new byte[8]));
        refuses(kind, Set.of(KeyKind.TMK, KeyKind.ZMK), "exportKey", key -> HSM.exportKey(TPK, key));
    }

    @Test
    void aTakCannotEncryptAPin() {
        assertThatThrownBy(() -> HSM.encryptPin(KEYS.get(KeyKind.TAK), "1234", PAN, PinBlockFormat.ISO_0))
                .isInstanceOf(KeyUsageException.class)
                .hasMessage("encryptPin: pinKey must be one of [TPK, ZPK] but is a TAK");
    }
}
