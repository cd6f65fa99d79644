package io.isoswitch.security;

import static io.isoswitch.security.TestHsm.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.security.internal.Ciphers;
import io.isoswitch.security.internal.Kcv;
import org.bouncycastle.crypto.BlockCipher;
import org.junit.jupiter.api.Test;

/** Key check values and SM4: test-vectors.md sections 4 and 5. */
class KcvAndSm4VectorsTest {
    private static String kcv(KeyKind kind, KeyAlgorithm algorithm, String key) {
        return TestHsm.key(kind, algorithm, key).kcv();
    }

    @Test
    void kcvTdesBdk() {
        assertThat(kcv(KeyKind.BDK, KeyAlgorithm.TDES_2KEY, "0123456789ABCDEFFEDCBA9876543210")).isEqualTo("08D7B4");
    }

    @Test
    void kcvTdesIpek() {
        assertThat(kcv(KeyKind.TPK, KeyAlgorithm.TDES_2KEY, "6AC292FAA1315B4D858AB3A3D7D5933A")).isEqualTo("AF8C07");
    }

    @Test
    void kcvTdesCupFourByte() {
        assertThat(TestHsm.tdes(KeyKind.TPK, "0123456789ABCDEFFEDCBA9876543210").checkValue(4)).isEqualTo("08D7B4FB");
        assertThat(TestHsm.tdes(KeyKind.TPK, "6AC292FAA1315B4D858AB3A3D7D5933A").checkValue(4)).isEqualTo("AF8C074A");
    }

    @Test
    void kcvAesCmac() {
        assertThat(kcv(KeyKind.ZPK, KeyAlgorithm.AES_128, "2B7E151628AED2A6ABF7158809CF4F3C")).isEqualTo("7AD386");
    }

    @Test
    void kcvAesCmacInitialKey() {
        assertThat(kcv(KeyKind.ZPK, KeyAlgorithm.AES_128, "1273671EA26AC29AFA4D1084127652A1")).isEqualTo("05EF45");
    }

    @Test
    void kcvAesEcbLegacy() {
        assertThat(hex(Kcv.zeroBlockEncryption(KeyAlgorithm.AES_128, hex("2B7E151628AED2A6ABF7158809CF4F3C")))).startsWith("7DF76B");
    }

    @Test
    void kcvAesEcbLegacyInitialKey() {
        assertThat(hex(Kcv.zeroBlockEncryption(KeyAlgorithm.AES_128, hex("1273671EA26AC29AFA4D1084127652A1")))).startsWith("3FB7FE");
    }

    @Test
    void kcvSm4ZeroBlock() {
        BlockCipher sm4 = Ciphers.encryptor(KeyAlgorithm.SM4, hex("0123456789ABCDEFFEDCBA9876543210"));
        assertThat(hex(Ciphers.ecb(sm4, new byte[16]))).isEqualTo("2677F46B09C122CC975533105BD4A22A");
    }

    @Test
    void sm4EncryptOnce() {
        BlockCipher sm4 = Ciphers.encryptor(KeyAlgorithm.SM4, hex("0123456789ABCDEFFEDCBA9876543210"));
        assertThat(hex(Ciphers.ecb(sm4, hex("0123456789ABCDEFFEDCBA9876543210")))).isEqualTo("681EDF34D206965E86B3E94F536E4246");
    }

    @Test
    void sm4EncryptMillionTimes() {
        BlockCipher sm4 = Ciphers.encryptor(KeyAlgorithm.SM4, hex("0123456789ABCDEFFEDCBA9876543210"));
        byte[] block = hex("0123456789ABCDEFFEDCBA9876543210");
        for (int i = 0; i < 1_000_000; i++) {
            sm4.processBlock(block, 0, block, 0);
        }
        assertThat(hex(block)).isEqualTo("595298C7C6FD271F0402F804C33D3F66");
    }
}
