package io.isoswitch.security;

import io.isoswitch.security.internal.Bytes;
import io.isoswitch.security.internal.Digits;
import io.isoswitch.security.internal.LoadedKey;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/** PANs at rest: HMAC-SHA256 tokens and AES-GCM encryption, on clear keys the HSM has unwrapped. */
final class PanProtection {
    static final int NONCE_LENGTH = 12;
    static final int TAG_BITS = 128;

    private PanProtection() {}

    /** Per thread and key: HMac after doFinal is back in its keyed initial state, so the key is hashed once. */
    static String token(LoadedKey key, String pan) {
        byte[] digits = ascii(pan);
        HMac hmac = key.engine(HMac.class, clear -> {
            HMac keyed = new HMac(new SHA256Digest());
            keyed.init(new KeyParameter(clear));
            return keyed;
        });
        hmac.update(digits, 0, digits.length);
        byte[] out = new byte[hmac.getMacSize()];
        hmac.doFinal(out, 0);
        Bytes.wipe(digits);
        return HexFormat.of().withUpperCase().formatHex(out);
    }

    /**
     * Per thread and key, the GCM cipher is keyed once (AES key schedule, hash subkey); each call
     * re-initialises it with a fresh random nonce and no key, which BouncyCastle reads as "same key".
     */
    static byte[] encrypt(LoadedKey key, String pan, SecureRandom random) {
        byte[] digits = ascii(pan);
        byte[] nonce = new byte[NONCE_LENGTH];
        random.nextBytes(nonce);
        GCMModeCipher gcm = key.engine(GCMModeCipher.class, clear -> {
            GCMModeCipher keyed = GCMBlockCipher.newInstance(AESEngine.newInstance());
            byte[] firstNonce = new byte[NONCE_LENGTH];
            random.nextBytes(firstNonce);
            keyed.init(true, new AEADParameters(new KeyParameter(clear), TAG_BITS, firstNonce));
            return keyed;
        });
        gcm.init(true, new AEADParameters(null, TAG_BITS, nonce));
        byte[] out = Arrays.copyOf(nonce, NONCE_LENGTH + gcm.getOutputSize(digits.length));
        int written = gcm.processBytes(digits, 0, digits.length, out, NONCE_LENGTH);
        try {
            gcm.doFinal(out, NONCE_LENGTH + written);
        } catch (InvalidCipherTextException e) {
            throw new HsmException("PAN encryption failed", e);
        } finally {
            Bytes.wipe(digits);
        }
        return out;
    }

    static String decrypt(byte[] key, byte[] encrypted) {
        if (encrypted == null || encrypted.length <= NONCE_LENGTH + TAG_BITS / 8) {
            throw new HsmException("encrypted PAN is too short to hold a nonce and a tag");
        }
        GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
        gcm.init(false, new AEADParameters(new KeyParameter(key), TAG_BITS, Arrays.copyOf(encrypted, NONCE_LENGTH)));
        byte[] out = new byte[gcm.getOutputSize(encrypted.length - NONCE_LENGTH)];
        try {
            int written = gcm.processBytes(encrypted, NONCE_LENGTH, encrypted.length - NONCE_LENGTH, out, 0);
            gcm.doFinal(out, written);
            return new String(out, StandardCharsets.US_ASCII);
        } catch (InvalidCipherTextException e) {
            throw new HsmException("encrypted PAN does not authenticate under this data key (altered or wrong key)");
        } finally {
            Bytes.wipe(out);
        }
    }

    private static byte[] ascii(String pan) {
        Digits.parse(pan, "pan", 8, 19);
        return pan.getBytes(StandardCharsets.US_ASCII);
    }
}
