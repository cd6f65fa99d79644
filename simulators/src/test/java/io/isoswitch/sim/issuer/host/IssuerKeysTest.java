package io.isoswitch.sim.issuer.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.isoswitch.security.KeyAlgorithm;
import io.isoswitch.security.KeyKind;
import io.isoswitch.security.LocalMasterKey;
import io.isoswitch.security.PinBlockFormat;
import io.isoswitch.security.SecureKey;
import io.isoswitch.security.SoftwareHsm;
import io.isoswitch.sim.card.CardGenerator;
import io.isoswitch.sim.card.PinVerificationData;
import io.isoswitch.sim.card.PinVerificationMethod;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

class IssuerKeysTest {
    static final String PAN = "4761739001010010";

    static IssuerKeys keys() {
        return IssuerKeys.fromClear(new SoftwareHsm(LocalMasterKey.generate(new SecureRandom())), IssuerKeys.TEST_ZMK,
                IssuerKeys.TEST_PVK);
    }

    @Test
    void generatedCardsAreTheSameUnderAnyHsmHoldingTheSamePvk() {
        CardGenerator.Options options = CardGenerator.Options.defaults(List.of("476173"));

        assertThat(new CardGenerator(options, keys().pvvEnroller()).generate(10, 5))
                .isEqualTo(new CardGenerator(options, keys().pvvEnroller()).generate(10, 5));
    }

    @Test
    void anEnrolledPinVerifiesAndAnotherDoesNotByPvvAndByIbm3624() {
        IssuerKeys keys = keys();
        SecureKey zpk = keys.hsm().generateKey(KeyKind.ZPK, KeyAlgorithm.TDES_2KEY);
        PinVerificationData pvv = keys.pvvEnroller().enroll(PAN, "4321");
        PinVerificationData offset = keys.ibm3624Enroller().enroll(PAN, "4321");
        byte[] right = keys.hsm().encryptPin(zpk, "4321", PAN, PinBlockFormat.ISO_0);
        byte[] wrong = keys.hsm().encryptPin(zpk, "4322", PAN, PinBlockFormat.ISO_0);

        assertThat(pvv.method()).isEqualTo(PinVerificationMethod.PVV);
        assertThat(offset.method()).isEqualTo(PinVerificationMethod.IBM3624);
        assertThat(keys.verifyPin(zpk, right, PAN, pvv)).isTrue();
        assertThat(keys.verifyPin(zpk, wrong, PAN, pvv)).isFalse();
        assertThat(keys.verifyPin(zpk, right, PAN, offset)).isTrue();
        assertThat(keys.verifyPin(zpk, wrong, PAN, offset)).isFalse();
    }

    @Test
    void ibm3624ValidationDataIsTheFirstSixteenPanDigitsPaddedWithF() {
        assertThat(IssuerKeys.validationData("4761739001010010123")).isEqualTo("4761739001010010");
        assertThat(IssuerKeys.validationData("476173900101")).isEqualTo("476173900101FFFF");
    }

    @Test
    void refusesAClearKeyThatIsNotThirtyTwoHexDigits() {
        SoftwareHsm hsm = new SoftwareHsm(LocalMasterKey.generate(new SecureRandom()));
        assertThatThrownBy(() -> IssuerKeys.fromClear(hsm, "00", IssuerKeys.TEST_PVK)).hasMessageContaining("zmk");
        assertThatThrownBy(() -> IssuerKeys.fromClear(hsm, IssuerKeys.TEST_ZMK, "Z".repeat(32))).hasMessageContaining("pvk");
    }
}
