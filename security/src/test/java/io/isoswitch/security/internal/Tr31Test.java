package io.isoswitch.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.isoswitch.security.KeyAlgorithm;
import io.isoswitch.security.KeyBlockException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * TR-31 key blocks. Known answers are the ASC X9 TR-31:2018 examples as published in
 * knovichikhin/psec {@code tests/test_tr31.py} (version B) and openemv/tr31 (version D, TR-31:2018
 * A.7.4).
 */
class Tr31Test {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void unwrapsTr31VersionBExample() {
        Tr31.Unwrapped unwrapped = Tr31.unwrap(KeyAlgorithm.TDES_2KEY, HEX.parseHex("DD7515F2BFC17F85CE48F3CA25CB21F6"),
                "B0080P0TE00E000094B420079CC80BA3461F86FE26EFC4A3B8E4FA4C5F5341176EED7B727B8A248E");
        assertThat(HEX.formatHex(unwrapped.key())).isEqualTo("3F419E1CB7079442AA37474C2EFBF8B8");
        assertThat(unwrapped.header().usage()).isEqualTo("P0");
    }

    @Test
    void unwrapsTr31VersionBWithOptionalBlock() {
        Tr31.Unwrapped unwrapped = Tr31.unwrap(KeyAlgorithm.TDES_2KEY, HEX.parseHex("1D22BF32387C600AD97F9B97A51311AC"),
                "B0104B0TX12S0100KS1800604B120F9292800000BB68BE8680A400D9191AD4ECE45B6E6C0D21C4738A52190E248719E24B433627");
        assertThat(HEX.formatHex(unwrapped.key())).isEqualTo("E8BC63E5479455E26577F715D587FE68");
        assertThat(unwrapped.header().optionalBlocks()).containsEntry("KS", "00604B120F9292800000");
    }

    @Test
    void unwrapsTr31VersionBWithTripleLengthKbpk() {
        byte[] kbpk = HEX.parseHex("AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCC");
        Tr31.Unwrapped unwrapped = Tr31.unwrap(KeyAlgorithm.TDES_3KEY, kbpk,
                "B0096M3TC00E0000C7C6FE86A5DE769C20DCA238C52341378B484D544A9764D43963C3B2824AE56C2D07A565DD3AB342");
        assertThat(HEX.formatHex(unwrapped.key())).isEqualTo("CCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD");
    }

    @Test
    void unwrapsTr31VersionDExample() {
        Tr31.Unwrapped unwrapped = Tr31.unwrap(KeyAlgorithm.AES_256,
                HEX.parseHex("88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6"),
                "D0112P0AE00E0000B82679114F470F540165EDFBF7E250FCEA43F810D215F8D207E2E417C07156A27E8E31DA05F7425509593D03A457DC34");
        assertThat(HEX.formatHex(unwrapped.key())).isEqualTo("3F419E1CB7079442AA37474C2EFBF8B8");
    }

    @Test
    void wrapThenUnwrapGivesTheKeyBackForEveryVersionAndLength() {
        for (KeyAlgorithm kbpkAlgorithm : new KeyAlgorithm[] {KeyAlgorithm.TDES_2KEY, KeyAlgorithm.TDES_3KEY,
                KeyAlgorithm.AES_128, KeyAlgorithm.AES_192, KeyAlgorithm.AES_256}) {
            byte[] kbpk = new byte[kbpkAlgorithm.keyLength()];
            RANDOM.nextBytes(kbpk);
            for (int length : new int[] {16, 24, 32}) {
                byte[] key = new byte[length];
                RANDOM.nextBytes(key);
                Tr31Header header = new Tr31Header(Tr31.versionFor(kbpkAlgorithm), "K0", 'A', 'B', "00", 'S', Map.of("10", "ZMK"));
                String block = Tr31.wrap(kbpkAlgorithm, kbpk, header, key, RANDOM);
                assertThat(block.length() % 2).isZero();
                assertThat(Integer.parseInt(block.substring(1, 5))).isEqualTo(block.length());
                Tr31.Unwrapped unwrapped = Tr31.unwrap(kbpkAlgorithm, kbpk, block);
                assertThat(unwrapped.key()).as("%s key of %d", kbpkAlgorithm, length).isEqualTo(key);
                assertThat(unwrapped.header().optionalBlocks()).containsExactly(Map.entry("10", "ZMK"));
            }
        }
    }

    @Test
    void rejectsAlteredBlock() {
        byte[] kbpk = HEX.parseHex("DD7515F2BFC17F85CE48F3CA25CB21F6");
        String block = "B0080P0TE00E000094B420079CC80BA3461F86FE26EFC4A3B8E4FA4C5F5341176EED7B727B8A248E";
        String altered = block.substring(0, 5) + "P0TD" + block.substring(9);
        assertThatThrownBy(() -> Tr31.unwrap(KeyAlgorithm.TDES_2KEY, kbpk, altered))
                .isInstanceOf(KeyBlockException.class).hasMessageContaining("MAC does not verify");
    }

    @Test
    void rejectsWrongProtectionKey() {
        assertThatThrownBy(() -> Tr31.unwrap(KeyAlgorithm.TDES_2KEY, new byte[16],
                "B0080P0TE00E000094B420079CC80BA3461F86FE26EFC4A3B8E4FA4C5F5341176EED7B727B8A248E"))
                .isInstanceOf(KeyBlockException.class);
    }

    @Test
    void rejectsVersionThatDoesNotSuitTheProtectionKey() {
        assertThatThrownBy(() -> Tr31.unwrap(KeyAlgorithm.AES_128, new byte[16],
                "B0080P0TE00E000094B420079CC80BA3461F86FE26EFC4A3B8E4FA4C5F5341176EED7B727B8A248E"))
                .isInstanceOf(KeyBlockException.class).hasMessageContaining("version B");
    }

    @Test
    void rejectsLengthThatDisagreesWithTheBlock() {
        assertThatThrownBy(() -> Tr31.unwrap(KeyAlgorithm.TDES_2KEY, new byte[16],
                "B0096P0TE00E000094B420079CC80BA3461F86FE26EFC4A3B8E4FA4C5F5341176EED7B727B8A248E"))
                .isInstanceOf(KeyBlockException.class).hasMessageContaining("declares 96");
    }
}
