package io.isoswitch.security;

import io.isoswitch.security.internal.Bytes;
import io.isoswitch.security.internal.Digits;
import io.isoswitch.security.internal.LoadedKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * PANs at rest: HMAC-SHA256 tokens and AES-GCM encryption, on clear keys the HSM has unwrapped.
 *
 * <p>Both run on the JDK's own provider (SunJCE), not Bouncy Castle: its SHA-256 and AES-GCM are
 * HotSpot intrinsics (SHA and AES-NI/CLMUL instructions), several times faster than Bouncy
 * Castle's pure-Java code on the journal's per-transaction path. The output is the same standard
 * HMAC and GCM, byte for byte (nonce || ciphertext || tag).
 */
final class PanProtection {
    static final int NONCE_LENGTH = 12;
    static final int TAG_BITS = 128;
    static final int TOKEN_LENGTH = 32;
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private PanProtection() {}

    /** The token as 64 upper-case hex digits. */
    static String token(LoadedKey key, String pan) {
        return HEX.formatHex(tokenBytes(key, pan));
    }

    /** Per thread and key: a JCA Mac after doFinal is back in its keyed initial state, so the key is set once. */
    static byte[] tokenBytes(LoadedKey key, String pan) {
        byte[] digits = ascii(pan);
        Mac hmac = key.engine(Mac.class, clear -> {
            try {
                Mac keyed = Mac.getInstance("HmacSHA256");
                keyed.init(new SecretKeySpec(clear, "HmacSHA256"));
                return keyed;
            } catch (GeneralSecurityException e) {
                throw new HsmException("HmacSHA256 is not available", e);
            }
        });
        try {
            return hmac.doFinal(digits);
        } finally {
            Bytes.wipe(digits);
        }
    }

    /**
     * Per thread and key, one GCM cipher and its key; each call initialises it with a fresh random
     * nonce (the JDK refuses a nonce already used with the key, which this never does).
     */
    static byte[] encrypt(LoadedKey key, String pan, SecureRandom random) {
        byte[] digits = ascii(pan);
        byte[] nonce = new byte[NONCE_LENGTH];
        random.nextBytes(nonce);
        byte[] out = Arrays.copyOf(nonce, NONCE_LENGTH + digits.length + TAG_BITS / 8);
        Gcm gcm = key.engine(Gcm.class, Gcm::new);
        try {
            gcm.cipher.init(Cipher.ENCRYPT_MODE, gcm.key, new GCMParameterSpec(TAG_BITS, nonce));
            gcm.cipher.doFinal(digits, 0, digits.length, out, NONCE_LENGTH);
            return out;
        } catch (GeneralSecurityException e) {
            throw new HsmException("PAN encryption failed", e);
        } finally {
            Bytes.wipe(digits);
        }
    }

    static String decrypt(byte[] key, byte[] encrypted) {
        if (encrypted == null || encrypted.length <= NONCE_LENGTH + TAG_BITS / 8) {
            throw new HsmException("encrypted PAN is too short to hold a nonce and a tag");
        }
        byte[] out = null;
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
                    new GCMParameterSpec(TAG_BITS, encrypted, 0, NONCE_LENGTH));
            out = cipher.doFinal(encrypted, NONCE_LENGTH, encrypted.length - NONCE_LENGTH);
            return new String(out, StandardCharsets.US_ASCII);
        } catch (AEADBadTagException e) {
            throw new HsmException("encrypted PAN does not authenticate under this data key (altered or wrong key)");
        } catch (GeneralSecurityException e) {
            throw new HsmException("PAN decryption failed", e);
        } finally {
            Bytes.wipe(out);
        }
    }

    private static byte[] ascii(String pan) {
        return Digits.ascii(pan, "pan", 8, 19);
    }

    /** One thread's AES-GCM cipher and the key it is initialised with (a copy of the clear key). */
    private static final class Gcm {
        final Cipher cipher;
        final SecretKeySpec key;

        Gcm(byte[] clear) {
            try {
                this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
            } catch (GeneralSecurityException e) {
                throw new HsmException("AES/GCM is not available", e);
            }
            this.key = new SecretKeySpec(clear, "AES");
        }

        @Override
        public String toString() {
            return "Gcm[AES]";
        }
    }
}
