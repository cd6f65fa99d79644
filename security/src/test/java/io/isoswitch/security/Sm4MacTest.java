package io.isoswitch.security;

import static io.isoswitch.security.TestHsm.HSM;
import static io.isoswitch.security.TestHsm.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.security.internal.Ciphers;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.crypto.BlockCipher;
import org.junit.jupiter.api.Test;

/**
 * SM4 MACs, recomputed step by step from the SM4 primitive (itself checked by the GB/T 32907
 * vectors in {@link KcvAndSm4VectorsTest}); no public known-answer vector exists for them.
 */
class Sm4MacTest {
    private static final String KEY = "0123456789ABCDEFFEDCBA9876543210";
    private static final SecureKey MAK = TestHsm.key(KeyKind.TAK, KeyAlgorithm.SM4, KEY);
    private static final byte[] DATA = "Now is the time for all ".getBytes(StandardCharsets.US_ASCII);

    @Test
    void sm4CbcMacIsTheLastSm4CbcBlockOverZeroPaddedData() {
        BlockCipher sm4 = Ciphers.encryptor(KeyAlgorithm.SM4, hex(KEY));
        byte[] cbc = Ciphers.cbcEncrypt(sm4, new byte[16], Arrays.copyOf(DATA, 32));
        byte[] mac = HSM.generateMac(MAK, MacAlgorithm.SM4_CBC_MAC, DATA, 0, DATA.length);
        assertThat(hex(mac)).isEqualTo(hex(Arrays.copyOfRange(cbc, 16, 32)));
    }

    @Test
    void cupEcbWithAnSm4KeyWorksOnSixteenByteBlocks() {
        BlockCipher sm4 = Ciphers.encryptor(KeyAlgorithm.SM4, hex(KEY));
        byte[] padded = Arrays.copyOf(DATA, 32);
        byte[] xor = new byte[16];
        for (int i = 0; i < 32; i++) {
            xor[i % 16] ^= padded[i];
        }
        byte[] expanded = hex(xor).getBytes(StandardCharsets.US_ASCII);
        byte[] step = Ciphers.ecb(sm4, Arrays.copyOf(expanded, 16));
        for (int i = 0; i < 16; i++) {
            step[i] ^= expanded[16 + i];
        }
        step = Ciphers.ecb(sm4, step);
        byte[] expected = hex(step).substring(0, 8).getBytes(StandardCharsets.US_ASCII);
        assertThat(HSM.generateMac(MAK, MacAlgorithm.CUP_ECB, DATA, 0, DATA.length)).isEqualTo(expected);
    }

    @Test
    void refusesAnSm4KeyForX919() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HSM.generateMac(MAK, MacAlgorithm.ANSI_X9_19, DATA, 0, DATA.length))
                .isInstanceOf(KeyUsageException.class).hasMessageContaining("ANSI_X9_19 cannot use a SM4 TAK");
    }
}
