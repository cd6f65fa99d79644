package io.isoswitch.security.internal;

import io.isoswitch.security.KeyAlgorithm;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.engines.DESEngine;
import org.bouncycastle.crypto.engines.DESedeEngine;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Bouncy Castle lightweight block ciphers, keyed. No JCE provider lookups: an engine is a plain
 * object, so a caller can keep one per thread and reuse it.
 */
public final class Ciphers {
    private Ciphers() {}

    /** A fresh, unkeyed engine for the algorithm. */
    public static BlockCipher engine(KeyAlgorithm algorithm) {
        return switch (algorithm) {
            case TDES_2KEY, TDES_3KEY -> new DESedeEngine();
            case AES_128, AES_192, AES_256 -> AESEngine.newInstance();
            case SM4 -> new SM4Engine();
        };
    }

    public static BlockCipher encryptor(KeyAlgorithm algorithm, byte[] key) {
        BlockCipher cipher = engine(algorithm);
        cipher.init(true, new KeyParameter(key));
        return cipher;
    }

    public static BlockCipher decryptor(KeyAlgorithm algorithm, byte[] key) {
        BlockCipher cipher = engine(algorithm);
        cipher.init(false, new KeyParameter(key));
        return cipher;
    }

    /** Single DES, for the halves of a TDES key (DUKPT, the UnionPay MAC with a single-DES MAK). */
    public static BlockCipher des(byte[] key, int offset, boolean encrypt) {
        BlockCipher cipher = new DESEngine();
        cipher.init(encrypt, new KeyParameter(key, offset, 8));
        return cipher;
    }

    /** Runs every block of {@code data} (a multiple of the block size) through {@code cipher}. */
    public static byte[] ecb(BlockCipher cipher, byte[] data) {
        int blockSize = cipher.getBlockSize();
        if (data.length % blockSize != 0) {
            throw new IllegalArgumentException(
                    "data length " + data.length + " is not a multiple of the block size " + blockSize);
        }
        byte[] out = new byte[data.length];
        for (int offset = 0; offset < data.length; offset += blockSize) {
            cipher.processBlock(data, offset, out, offset);
        }
        return out;
    }

    /** Cipher-block chaining with the given IV over whole blocks. */
    public static byte[] cbcEncrypt(BlockCipher encryptor, byte[] iv, byte[] data) {
        int blockSize = encryptor.getBlockSize();
        byte[] out = new byte[data.length];
        byte[] chain = iv.clone();
        for (int offset = 0; offset < data.length; offset += blockSize) {
            for (int i = 0; i < blockSize; i++) {
                chain[i] ^= data[offset + i];
            }
            encryptor.processBlock(chain, 0, out, offset);
            System.arraycopy(out, offset, chain, 0, blockSize);
        }
        return out;
    }

    public static byte[] cbcDecrypt(BlockCipher decryptor, byte[] iv, byte[] data) {
        int blockSize = decryptor.getBlockSize();
        byte[] out = new byte[data.length];
        for (int offset = 0; offset < data.length; offset += blockSize) {
            decryptor.processBlock(data, offset, out, offset);
            for (int i = 0; i < blockSize; i++) {
                out[offset + i] ^= offset == 0 ? iv[i] : data[offset - blockSize + i];
            }
        }
        return out;
    }
}
