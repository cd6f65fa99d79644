package io.isoswitch.security.internal;

import io.isoswitch.security.KeyAlgorithm;
import java.util.Arrays;
import org.bouncycastle.crypto.macs.CMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Key check values. TDES: the key encrypts a block of zeros. AES and SM4: AES-CMAC (or SM4-CMAC)
 * of a block of zeros, as X9.24-1 and TR-31 do for AES. Callers keep the leftmost 3 bytes (4 in
 * UnionPay sign-on replies).
 */
public final class Kcv {
    /** Bytes kept by {@link #of}: enough for the 4-byte UnionPay check value. */
    public static final int LENGTH = 4;

    private Kcv() {}

    /** The leftmost {@link #LENGTH} bytes of the check value. */
    public static byte[] of(KeyAlgorithm algorithm, byte[] key) {
        byte[] zeros = new byte[algorithm.blockSize()];
        byte[] full;
        if (algorithm.isTdes()) {
            full = Ciphers.ecb(Ciphers.encryptor(algorithm, key), zeros);
        } else {
            CMac cmac = new CMac(Ciphers.engine(algorithm));
            cmac.init(new KeyParameter(key));
            cmac.update(zeros, 0, zeros.length);
            full = new byte[cmac.getMacSize()];
            cmac.doFinal(full, 0);
        }
        return Arrays.copyOf(full, LENGTH);
    }

    /** The older convention for AES and SM4: encrypt a zero block (ECB). Leftmost 4 bytes. */
    public static byte[] zeroBlockEncryption(KeyAlgorithm algorithm, byte[] key) {
        byte[] full = Ciphers.ecb(Ciphers.encryptor(algorithm, key), new byte[algorithm.blockSize()]);
        return Arrays.copyOf(full, LENGTH);
    }
}
