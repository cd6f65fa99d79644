package io.isoswitch.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class LmkRotationTest {
    private final SecureRandom random = new SecureRandom();
    private final LocalMasterKey old = LocalMasterKey.generate(random);
    private final LocalMasterKey next = LocalMasterKey.generate(random);

    @Test
    void aKeyBlockMovesToTheNewLmkWithItsKindAlgorithmAndCheckValue() {
        SecureKey zpk = new SoftwareHsm(old).generateKey(KeyKind.ZPK, KeyAlgorithm.TDES_2KEY);

        String moved = new LmkRotation(old, next, random).rewrap(zpk.keyBlock());

        SecureKey loaded = new SoftwareHsm(next).loadKey(moved);
        assertThat(loaded.kind()).isEqualTo(KeyKind.ZPK);
        assertThat(loaded.algorithm()).isEqualTo(KeyAlgorithm.TDES_2KEY);
        assertThat(loaded.kcv()).isEqualTo(zpk.kcv());
        assertThatThrownBy(() -> new SoftwareHsm(old).loadKey(moved)).isInstanceOf(KeyBlockException.class);
    }

    @Test
    void inATextOnlyKeyBlocksUnderTheOldLmkMoveAndEverythingElseStays() {
        String tmk = new SoftwareHsm(old).generateKey(KeyKind.TMK, KeyAlgorithm.TDES_2KEY).keyBlock();
        String data = new SoftwareHsm(old).generateKey(KeyKind.DATA, KeyAlgorithm.AES_256).keyBlock();
        String foreign = new SoftwareHsm(LocalMasterKey.generate(random)).generateKey(KeyKind.ZMK, KeyAlgorithm.TDES_3KEY).keyBlock();
        String text = "tmkKeyBlock: \"" + tmk + "\"\npanDataKey=" + data + "\nother: " + foreign + "\nD0100 is not a key block\n";

        LmkRotation.Rewrapped result = new LmkRotation(old, next, random).rewrapAll(text);

        assertThat(result.rewrapped()).isEqualTo(2);
        assertThat(result.notUnderOldLmk()).isEqualTo(1);
        String[] lines = result.text().split("\n");
        assertThat(lines[0]).startsWith("tmkKeyBlock: \"D").endsWith("\"").isNotEqualTo("tmkKeyBlock: \"" + tmk + "\"");
        assertThat(new SoftwareHsm(next).loadKey(lines[1].substring("panDataKey=".length())).kind()).isEqualTo(KeyKind.DATA);
        assertThat(lines[2]).isEqualTo("other: " + foreign);
        assertThat(lines[3]).isEqualTo("D0100 is not a key block");
    }

    @Test
    void refusesToRotateToTheSameLmk() {
        assertThatThrownBy(() -> new LmkRotation(old, old, random)).isInstanceOf(HsmException.class).hasMessageContaining("is the old one");
    }
}
