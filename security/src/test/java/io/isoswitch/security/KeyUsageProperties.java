package io.isoswitch.security;

import static io.isoswitch.security.TestHsm.HSM;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Every operation refuses keys of kinds it may not use, with an error naming the operation and the kinds. */
class KeyUsageProperties {
    private static final Map<KeyKind, SecureKey> KEYS = new EnumMap<>(KeyKind.class);
    private static final SecureKey TPK = HSM.generateKey(KeyKind.TPK, KeyAlgorithm.TDES_2KEY);
    private static final String PAN = "4111111111111111";

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

    @Property(tries = 60)
    void pinOperationsRefuseAnythingButPinKeys(@ForAll KeyKind kind) {
        Set<KeyKind> pinKeys = Set.of(KeyKind.TPK, KeyKind.ZPK);
        byte[] block = HSM.encryptPin(TPK, "1234", PAN, PinBlockFormat.ISO_0);
        refuses(kind, pinKeys, "encryptPin", key -> HSM.encryptPin(key, "1234", PAN, PinBlockFormat.ISO_0));
        refuses(kind, pinKeys, "translatePin", key -> HSM.translatePin(TPK, block, PinBlockFormat.ISO_0, PAN, key, PinBlockFormat.ISO_0));
        refuses(kind, pinKeys, "translatePin", key -> HSM.translatePin(key, block, PinBlockFormat.ISO_0, PAN, TPK, PinBlockFormat.ISO_0));
        refuses(kind, Set.of(KeyKind.PVK), "visaPvv", key -> HSM.visaPvv(TPK, block, PinBlockFormat.ISO_0, PAN, key, 1));
        refuses(kind, Set.of(KeyKind.BDK), "translatePinFromDukpt", key -> HSM.translatePinFromDukpt(key,
                Ksn.parse("FFFF9876543210E00001"), block, PinBlockFormat.ISO_0, PAN, TPK, PinBlockFormat.ISO_0));
    }

    @Property(tries = 60)
    void macCardAndPanOperationsRefuseOtherKinds(@ForAll KeyKind kind) {
        byte[] data = {1, 2, 3};
        refuses(kind, Set.of(KeyKind.TAK, KeyKind.ZAK), "generateMac", key -> HSM.generateMac(key, MacAlgorithm.ANSI_X9_19, data, 0, 3));
        refuses(kind, Set.of(KeyKind.TAK, KeyKind.ZAK), "verifyMac", key -> HSM.verifyMac(key, MacAlgorithm.ANSI_X9_19, data, 0, 3, new byte[8]));
        refuses(kind, Set.of(KeyKind.CVK), "generateCvv", key -> HSM.generateCvv(key, PAN, "2512", "101"));
        refuses(kind, Set.of(KeyKind.HMAC), "panToken", key -> HSM.panToken(key, PAN));
        refuses(kind, Set.of(KeyKind.DATA), "encryptPan", key -> HSM.encryptPan(key, PAN));
        refuses(kind, Set.of(KeyKind.TDK), "encryptData", key -> HSM.encryptData(key, new byte[8]));
        refuses(kind, Set.of(KeyKind.TMK, KeyKind.ZMK), "exportKey", key -> HSM.exportKey(TPK, key));
    }

    @Example
    void aTakCannotEncryptAPin() {
        assertThatThrownBy(() -> HSM.encryptPin(KEYS.get(KeyKind.TAK), "1234", PAN, PinBlockFormat.ISO_0))
                .isInstanceOf(KeyUsageException.class)
                .hasMessage("encryptPin: pinKey must be one of [TPK, ZPK] but is a TAK");
    }
}
