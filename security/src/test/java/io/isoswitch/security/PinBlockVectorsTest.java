package io.isoswitch.security;

import static io.isoswitch.security.TestHsm.HSM;
import static io.isoswitch.security.TestHsm.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.security.internal.Ciphers;
import io.isoswitch.security.internal.Digits;
import io.isoswitch.security.internal.PinBlocks;
import java.security.SecureRandom;
import org.bouncycastle.crypto.BlockCipher;
import org.junit.jupiter.api.Test;

/** ISO 9564-1 PIN block vectors: test-vectors.md section 1 (sources cited there). */
class PinBlockVectorsTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    private static String clear(PinBlockFormat format, String pin, String pan) {
        return hex(PinBlocks.clearBlock(format, Digits.parse(pin, "pin", 4, 12), pan, RANDOM));
    }

    // 1.1 format 0
    @Test
    void iso0ClearX924Example() {
        assertThat(clear(PinBlockFormat.ISO_0, "1234", "4012345678909")).isEqualTo("041274EDCBA9876F");
    }

    @Test
    void iso0ClearPsecPin4() {
        assertThat(clear(PinBlockFormat.ISO_0, "1234", "5555555551234567")).isEqualTo("041261AAAAEDCBA9");
    }

    @Test
    void iso0ClearPsecPin12() {
        assertThat(clear(PinBlockFormat.ISO_0, "123456789012", "5555555551234567")).isEqualTo("0C1261032D8226A9");
    }

    @Test
    void iso0ClearCardutil() {
        assertThat(clear(PinBlockFormat.ISO_0, "1234", "1111222233334444")).isEqualTo("041226DDDCCCCBBB");
    }

    @Test
    void iso0EncryptedLibiso() {
        SecureKey tpk = TestHsm.tdes(KeyKind.TPK, "E0F4543F3E2A2C5FFC7E5E5A222E3E4D");
        byte[] block = HSM.encryptPin(tpk, "1234", "4111111111111111", PinBlockFormat.ISO_0);
        assertThat(hex(block)).isEqualTo("6042012526A9C2E0");
    }

    // 1.2 formats 1 and 3
    @Test
    void iso1RoundTripAndStructure() {
        String block = clear(PinBlockFormat.ISO_1, "1234", "4111111111111111");
        assertThat(block).startsWith("141234");
        SecureKey tpk = TestHsm.tdes(KeyKind.TPK, "0123456789ABCDEFFEDCBA9876543210");
        SecureKey zpk = TestHsm.tdes(KeyKind.ZPK, "E0F4543F3E2A2C5FFC7E5E5A222E3E4D");
        byte[] iso1 = HSM.encryptPin(tpk, "1234", "4111111111111111", PinBlockFormat.ISO_1);
        byte[] iso0 = HSM.translatePin(tpk, iso1, PinBlockFormat.ISO_1, "4111111111111111", zpk, PinBlockFormat.ISO_0);
        assertThat(hex(iso0)).isEqualTo("6042012526A9C2E0");
    }

    @Test
    void iso3DeterministicPrefix() {
        String block = clear(PinBlockFormat.ISO_3, "1234", "5555555551234567");
        assertThat(block).startsWith("341261");
        for (int i = 6; i < 16; i++) {
            int fill = Character.digit(block.charAt(i), 16) ^ Character.digit("0000555555123456".charAt(i), 16);
            assertThat(fill).as("fill nibble %d", i).isBetween(10, 15);
        }
    }

    // 1.3 format 4
    private static String iso4(String key, String pinField, String pan) {
        BlockCipher aes = Ciphers.encryptor(KeyAlgorithm.of('A', key.length() / 2), hex(key));
        return hex(PinBlocks.iso4Encipher(aes, hex(pinField), pan));
    }

    @Test
    void iso4AesDukptCounter1() {
        assertThat(hex(PinBlocks.iso4PanField("4111111111111111"))).isEqualTo("44111111111111111000000000000000");
        assertThat(iso4("AF8CB133A78F8DC2D1359F18527593FB", "441234AAAAAAAAAA2F69ADDE2E9E7ACE", "4111111111111111"))
                .isEqualTo("A912150391AB65A67E52883D81CE2D15");
    }

    @Test
    void iso4PsecFixedFill() {
        assertThat(hex(PinBlocks.iso4PanField("1234567890123456789"))).isEqualTo("71234567890123456789000000000000");
        assertThat(iso4("00112233445566778899AABBCCDDEEFF", "441234AAAAAAAAAAFFFFFFFFFFFFFFFF", "1234567890123456789"))
                .isEqualTo("28B41FDDD29B743E93124BD8E32D921E");
    }

    @Test
    void iso4Aes256Wpay() {
        String key = "62CB437131C129DF001D42676011975150506E2A382145FD9BDEA7EC5A339F63";
        BlockCipher aes = Ciphers.encryptor(KeyAlgorithm.AES_256, hex(key));
        assertThat(hex(Ciphers.ecb(aes, hex("441234AAAAAAAAAAFFC853BBF9685D5E")))).isEqualTo("147CC4356769D305F1423D06D08F22CC");
        assertThat(iso4(key, "441234AAAAAAAAAAFFC853BBF9685D5E", "5237481234567895")).isEqualTo("060E768D21D709B5D2A3F9660A704B9D");
    }

    @Test
    void iso4DecipherEp2() {
        assertThat(hex(PinBlocks.iso4PanField("432198765432109870"))).isEqualTo("64321987654321098700000000000000");
        BlockCipher aes = Ciphers.decryptor(KeyAlgorithm.AES_128, hex("C1D0F8FB4958670DBA40AB1F3752EF0D"));
        byte[] pin = PinBlocks.decipher(PinBlockFormat.ISO_4, aes, hex("CC17F65586BFD0953010226C4FC5B3CA"), "432198765432109870");
        assertThat(Digits.toText(pin)).isEqualTo("1234");
        // the same block through the HSM: translated to format 0 under a known TPK, it deciphers to 1234
        SecureKey aesPinKey = TestHsm.key(KeyKind.ZPK, KeyAlgorithm.AES_128, "C1D0F8FB4958670DBA40AB1F3752EF0D");
        SecureKey tpk = TestHsm.tdes(KeyKind.TPK, "E0F4543F3E2A2C5FFC7E5E5A222E3E4D");
        byte[] iso0 = HSM.translatePin(aesPinKey, hex("CC17F65586BFD0953010226C4FC5B3CA"), PinBlockFormat.ISO_4,
                "432198765432109870", tpk, PinBlockFormat.ISO_0);
        BlockCipher tdes = Ciphers.decryptor(KeyAlgorithm.TDES_2KEY, hex("E0F4543F3E2A2C5FFC7E5E5A222E3E4D"));
        assertThat(Digits.toText(PinBlocks.decipher(PinBlockFormat.ISO_0, tdes, iso0, "432198765432109870"))).isEqualTo("1234");
    }
}
