package io.isoswitch.security;

import static io.isoswitch.security.TestHsm.HSM;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** CVV / CVC: test-vectors.md section 7. */
class CvvVectorsTest {
    private static final SecureKey CVK = TestHsm.tdes(KeyKind.CVK, "0123456789ABCDEFFEDCBA9876543210");

    @Test
    void cvvAlibabaExample() {
        assertThat(HSM.generateCvv(CVK, "4123456789012345", "8701", "111")).isEqualTo("856");
        assertThat(HSM.verifyCvv(CVK, "4123456789012345", "8701", "111", "856")).isTrue();
        assertThat(HSM.verifyCvv(CVK, "4123456789012345", "8701", "111", "857")).isFalse();
    }

    @Test
    void cvvServiceCode101() {
        assertThat(HSM.generateCvv(CVK, "4123456789012345", "8701", "101")).isEqualTo("561");
    }

    @Test
    void cvvPsec() {
        SecureKey cvk = TestHsm.tdes(KeyKind.CVK, "99999999999999998888888888888888");
        assertThat(HSM.generateCvv(cvk, "2222222222222222", "3333", "111")).isEqualTo("361");
    }

    @Test
    void cvv2AndIcvvUseTheirServiceCodes() {
        String cvv2 = HSM.generateCvv(CVK, "4123456789012345", "8701", "000");
        String icvv = HSM.generateCvv(CVK, "4123456789012345", "8701", "999");
        assertThat(HSM.verifyCvv(CVK, "4123456789012345", "8701", "000", cvv2)).isTrue();
        assertThat(HSM.verifyCvv(CVK, "4123456789012345", "8701", "999", icvv)).isTrue();
    }
}
