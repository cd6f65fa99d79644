package io.isoswitch.security;

import static io.isoswitch.security.TestHsm.HSM;
import static io.isoswitch.security.TestHsm.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.security.internal.Ciphers;
import io.isoswitch.security.internal.Digits;
import io.isoswitch.security.internal.Ibm3624;
import org.junit.jupiter.api.Test;

/** IBM 3624 offsets and Visa PVVs: test-vectors.md section 6 (knovichikhin/psec tests/test_pin.py). */
class PinVerificationVectorsTest {
    private static final String PVK = "0123456789ABCDEFFEDCBA9876543210";
    private static final SecureKey PVK_KEY = TestHsm.tdes(KeyKind.PVK, PVK);
    private static final SecureKey TPK = TestHsm.tdes(KeyKind.TPK, "E0F4543F3E2A2C5FFC7E5E5A222E3E4D");

    private static String natural(String table, String validationData) {
        return Digits.toText(Ibm3624.naturalPin(Ciphers.encryptor(KeyAlgorithm.TDES_2KEY, hex(PVK)), validationData, table, 4));
    }

    private static String offset(String pin, String pan, String table, String validationData) {
        byte[] block = HSM.encryptPin(TPK, pin, pan, PinBlockFormat.ISO_0);
        String offset = HSM.ibm3624Offset(TPK, block, PinBlockFormat.ISO_0, pan, PVK_KEY, table, validationData, 4);
        assertThat(HSM.verifyPinIbm3624(TPK, block, PinBlockFormat.ISO_0, pan, PVK_KEY, table, validationData, offset)).isTrue();
        return offset;
    }

    @Test
    void ibm3624Psec() {
        assertThat(hex(Ciphers.ecb(Ciphers.encryptor(KeyAlgorithm.TDES_2KEY, hex(PVK)), hex("1122334455667788"))))
                .isEqualTo("3EB3B72576BBBE83");
        assertThat(natural("1234567890123456", "1122334455667788")).isEqualTo("4524");
        assertThat(offset("1234", "1122334455667788", "1234567890123456", "1122334455667788")).isEqualTo("7710");
        assertThat(offset("0000", "1122334455667788", "1234567890123456", "1122334455667788")).isEqualTo("6586");
        assertThat(offset("1111", "1122334455667788", "1234567890123456", "1122334455667788")).isEqualTo("7697");
    }

    @Test
    void ibm3624PsecLength14() {
        assertThat(hex(Ciphers.ecb(Ciphers.encryptor(KeyAlgorithm.TDES_2KEY, hex(PVK)), hex("11223344556677FF"))))
                .isEqualTo("4E074EFBDEE32063");
        assertThat(natural("1234567890123456", "11223344556677FF")).isEqualTo("5518");
    }

    @Test
    void ibm3624CommonTable() {
        assertThat(natural("0123456789012345", "1122334455667788")).isEqualTo("3413");
        assertThat(offset("1234", "1122334455667788", "0123456789012345", "1122334455667788")).isEqualTo("8821");
    }

    @Test
    void ibm3624RejectsAnotherPin() {
        byte[] block = HSM.encryptPin(TPK, "1235", "1122334455667788", PinBlockFormat.ISO_0);
        assertThat(HSM.verifyPinIbm3624(TPK, block, PinBlockFormat.ISO_0, "1122334455667788", PVK_KEY,
                "1234567890123456", "1122334455667788", "7710")).isFalse();
    }

    private static String pvv(String pan, int pvki, String pin) {
        byte[] block = HSM.encryptPin(TPK, pin, pan, PinBlockFormat.ISO_0);
        String pvv = HSM.visaPvv(TPK, block, PinBlockFormat.ISO_0, pan, PVK_KEY, pvki);
        assertThat(HSM.verifyPinVisaPvv(TPK, block, PinBlockFormat.ISO_0, pan, PVK_KEY, pvki, pvv)).isTrue();
        assertThat(HSM.verifyPinVisaPvv(TPK, block, PinBlockFormat.ISO_0, pan, PVK_KEY, pvki,
                String.format("%04d", (Integer.parseInt(pvv) + 1) % 10000))).isFalse();
        return pvv;
    }

    @Test
    void visaPvvPvki1() {
        assertThat(pvv("1122334455667788", 1, "4524")).isEqualTo("8523");
    }

    @Test
    void visaPvvPvki2() {
        assertThat(pvv("1122334455667788", 2, "1912")).isEqualTo("3244");
    }

    @Test
    void visaPvvPan7718() {
        assertThat(pvv("1122334455667718", 1, "0570")).isEqualTo("3144");
    }

    @Test
    void visaPvvLetterFill() {
        assertThat(pvv("1122334455667708", 1, "8299")).isEqualTo("4422");
    }
}
