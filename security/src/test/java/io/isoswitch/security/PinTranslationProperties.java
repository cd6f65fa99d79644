package io.isoswitch.security;

import static io.isoswitch.security.TestHsm.HSM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import io.isoswitch.testkit.gen.Gens;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class PinTranslationProperties {
    private static final SecureKey TPK = HSM.generateKey(KeyKind.TPK, KeyAlgorithm.TDES_2KEY);
    private static final SecureKey ZPK = HSM.generateKey(KeyKind.ZPK, KeyAlgorithm.TDES_3KEY);
    private static final SecureKey AES_ZPK = HSM.generateKey(KeyKind.ZPK, KeyAlgorithm.AES_256);

    private static Gen<String> pins() {
        return Gens.numericStrings(4, 12);
    }

    private static Gen<String> pans() {
        return Gens.numericStrings(12, 19);
    }

    @Test
    void translatingThereAndBackGivesTheSamePinBlock() {
        qt().withExamples(300).forAll(pins(), pans(), Generate.enumValues(PinBlockFormat.class)).checkAssert((pin, pan, zoneFormat) -> {
            SecureKey zone = zoneFormat == PinBlockFormat.ISO_4 ? AES_ZPK : ZPK;
            byte[] original = HSM.encryptPin(TPK, pin, pan, PinBlockFormat.ISO_0);
            byte[] there = HSM.translatePin(TPK, original, PinBlockFormat.ISO_0, pan, zone, zoneFormat);
            byte[] back = HSM.translatePin(zone, there, zoneFormat, pan, TPK, PinBlockFormat.ISO_0);
            assertThat(back).isEqualTo(original);
        });
    }

    @Test
    void aBlockReadWithAnotherPanIsRejectedOrChanged() {
        qt().withExamples(200).forAll(pins(), pans()).checkAssert((pin, pan) -> {
            String otherPan = pan.substring(0, pan.length() - 2) + (char) ('0' + (pan.charAt(pan.length() - 2) - '0' + 1) % 10)
                    + pan.charAt(pan.length() - 1);
            byte[] block = HSM.encryptPin(TPK, pin, pan, PinBlockFormat.ISO_0);
            byte[] same = HSM.translatePin(TPK, block, PinBlockFormat.ISO_0, pan, ZPK, PinBlockFormat.ISO_0);
            try {
                byte[] other = HSM.translatePin(TPK, block, PinBlockFormat.ISO_0, otherPan, ZPK, PinBlockFormat.ISO_0);
                byte[] otherBack = HSM.translatePin(ZPK, other, PinBlockFormat.ISO_0, pan, TPK, PinBlockFormat.ISO_0);
                assertThat(otherBack).isNotEqualTo(block);
            } catch (PinBlockException expected) {
                assertThat(expected).hasMessageContaining("ISO_0");
            }
            assertThat(same).hasSize(8);
        });
    }
}
