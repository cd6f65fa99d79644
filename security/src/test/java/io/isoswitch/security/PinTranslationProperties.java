package io.isoswitch.security;

import static io.isoswitch.security.TestHsm.HSM;
import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class PinTranslationProperties {
    private static final SecureKey TPK = HSM.generateKey(KeyKind.TPK, KeyAlgorithm.TDES_2KEY);
    private static final SecureKey ZPK = HSM.generateKey(KeyKind.ZPK, KeyAlgorithm.TDES_3KEY);
    private static final SecureKey AES_ZPK = HSM.generateKey(KeyKind.ZPK, KeyAlgorithm.AES_256);

    @Provide
    Arbitrary<String> pins() {
        return Arbitraries.strings().numeric().ofMinLength(4).ofMaxLength(12);
    }

    @Provide
    Arbitrary<String> pans() {
        return Arbitraries.strings().numeric().ofMinLength(12).ofMaxLength(19);
    }

    @Property(tries = 300)
    void translatingThereAndBackGivesTheSamePinBlock(@ForAll("pins") String pin, @ForAll("pans") String pan,
                                                     @ForAll PinBlockFormat zoneFormat) {
        SecureKey zone = zoneFormat == PinBlockFormat.ISO_4 ? AES_ZPK : ZPK;
        byte[] original = HSM.encryptPin(TPK, pin, pan, PinBlockFormat.ISO_0);
        byte[] there = HSM.translatePin(TPK, original, PinBlockFormat.ISO_0, pan, zone, zoneFormat);
        byte[] back = HSM.translatePin(zone, there, zoneFormat, pan, TPK, PinBlockFormat.ISO_0);
        assertThat(back).isEqualTo(original);
    }

    @Property(tries = 200)
    void aBlockReadWithAnotherPanIsRejectedOrChanged(@ForAll("pins") String pin, @ForAll("pans") String pan) {
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
    }
}
