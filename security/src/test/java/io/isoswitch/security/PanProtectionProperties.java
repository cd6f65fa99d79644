package io.isoswitch.security;

import static io.isoswitch.security.TestHsm.HSM;
import static io.isoswitch.security.TestHsm.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import io.isoswitch.testkit.gen.Gens;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

/**
 * PAN tokens and PAN encryption run on the JDK's provider; journals hold ciphertexts written by
 * the earlier Bouncy Castle code. These laws hold both to the same standard GCM and HMAC, byte for
 * byte: Bouncy Castle opens what the HSM writes and the HSM opens what Bouncy Castle wrote.
 */
class PanProtectionProperties {
    private static final String DATA_KEY = "8899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF0011223344556677";
    private static final SecureKey DATA = TestHsm.key(KeyKind.DATA, KeyAlgorithm.AES_256, DATA_KEY);
    private static final SecureKey HMAC = HSM.generateKey(KeyKind.HMAC, KeyAlgorithm.AES_256);

    @Test
    void bouncyCastleOpensWhatTheHsmEncrypts() {
        qt().withExamples(300).forAll(Gens.numericStrings(8, 19)).checkAssert(pan -> {
            byte[] encrypted = HSM.encryptPan(DATA, pan);
            assertThat(encrypted).hasSize(PanProtection.NONCE_LENGTH + pan.length() + PanProtection.TAG_BITS / 8);
            assertThat(bouncyCastleDecrypt(hex(DATA_KEY), encrypted)).isEqualTo(pan);
        });
    }

    @Test
    void theHsmOpensWhatBouncyCastleEncrypted() {
        qt().withExamples(300).forAll(Gens.numericStrings(8, 19), Gens.numericStrings(24, 24)).checkAssert((pan, nonceDigits) -> {
            byte[] nonce = hex(nonceDigits);
            byte[] written = bouncyCastleEncrypt(hex(DATA_KEY), nonce, pan);
            assertThat(HSM.decryptPan(DATA, written)).isEqualTo(pan);
        });
    }

    @Test
    void aCiphertextWrittenByTheEarlierCodeStillOpens() {
        // written by the Bouncy Castle implementation (before the JDK provider), nonce 000102..0B
        byte[] written = hex("000102030405060708090A0B1ACC68C4A7679B63D6B412CB924F881AB1A67527D6298CAF752078F562F380B8");
        assertThat(HSM.decryptPan(DATA, written)).isEqualTo("4111111111111111");
        assertThat(bouncyCastleEncrypt(hex(DATA_KEY), hex("000102030405060708090A0B"), "4111111111111111")).isEqualTo(written);
        written[PanProtection.NONCE_LENGTH] ^= 1;
        assertThatThrownBy(() -> HSM.decryptPan(DATA, written)).isInstanceOf(HsmException.class)
                .hasMessageContaining("authenticate");
    }

    @Test
    void everyEncryptionTakesAFreshNonce() {
        byte[] first = HSM.encryptPan(DATA, "4111111111111111");
        byte[] second = HSM.encryptPan(DATA, "4111111111111111");
        assertThat(Arrays.copyOf(first, PanProtection.NONCE_LENGTH)).isNotEqualTo(Arrays.copyOf(second, PanProtection.NONCE_LENGTH));
    }

    @Test
    void tokenBytesAreTheHexTokensBytes() {
        qt().withExamples(200).forAll(Gens.numericStrings(8, 19)).checkAssert(pan ->
                assertThat(hex(HSM.panTokenBytes(HMAC, pan))).isEqualTo(HSM.panToken(HMAC, pan)));
    }

    @Test
    void rejectsAPanThatIsNotDigitsWithoutEchoingIt() {
        assertThatThrownBy(() -> HSM.encryptPan(DATA, "41111111x1111111")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("4111");
        assertThatThrownBy(() -> HSM.panTokenBytes(HMAC, "4111111")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("4111");
    }

    private static String bouncyCastleDecrypt(byte[] key, byte[] encrypted) {
        GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
        gcm.init(false, new AEADParameters(new KeyParameter(key), 128, Arrays.copyOf(encrypted, PanProtection.NONCE_LENGTH)));
        byte[] out = new byte[gcm.getOutputSize(encrypted.length - PanProtection.NONCE_LENGTH)];
        try {
            int written = gcm.processBytes(encrypted, PanProtection.NONCE_LENGTH, encrypted.length - PanProtection.NONCE_LENGTH, out, 0);
            gcm.doFinal(out, written);
        } catch (Exception e) {
            throw new AssertionError("Bouncy Castle does not authenticate the HSM's ciphertext", e);
        }
        return new String(out, StandardCharsets.US_ASCII);
    }

    private static byte[] bouncyCastleEncrypt(byte[] key, byte[] nonce, String pan) {
        GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
        gcm.init(true, new AEADParameters(new KeyParameter(key), 128, nonce));
        byte[] digits = pan.getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(nonce, nonce.length + gcm.getOutputSize(digits.length));
        try {
            int written = gcm.processBytes(digits, 0, digits.length, out, nonce.length);
            gcm.doFinal(out, nonce.length + written);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return out;
    }
}
