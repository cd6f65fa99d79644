package io.isoswitch.security.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.CipherParameters;
import org.bouncycastle.crypto.Mac;

/**
 * The China UnionPay POS "ECB" MAC (银联ECB, cup-pos.md section 9.3), as a Bouncy Castle
 * {@link Mac} so it is reused like the others:
 *
 * <ol>
 *   <li>zero-pad the data and XOR all its blocks into one block R;
 *   <li>write R as uppercase hex ASCII (twice the block size);
 *   <li>encrypt the first half with the MAK, XOR with the second half, encrypt again;
 *   <li>the MAC is the first 8 hex ASCII characters of that result.
 * </ol>
 *
 * With a DES/TDES MAK the blocks are 8 bytes; with an SM4 MAK 16 bytes (the SM4 variant).
 */
public final class CupEcbMac implements Mac {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private final BlockCipher cipher;
    private final int blockSize;
    private final byte[] xor;
    private int position;

    public CupEcbMac(BlockCipher cipher) {
        this.cipher = cipher;
        this.blockSize = cipher.getBlockSize();
        this.xor = new byte[blockSize];
    }

    @Override
    public void init(CipherParameters params) {
        cipher.init(true, params);
        reset();
    }

    @Override
    public String getAlgorithmName() {
        return "CUP-ECB/" + cipher.getAlgorithmName();
    }

    @Override
    public int getMacSize() {
        return 8;
    }

    @Override
    public void update(byte in) {
        xor[position] ^= in;
        position = (position + 1) % blockSize;
    }

    @Override
    public void update(byte[] in, int offset, int length) {
        for (int i = 0; i < length; i++) {
            xor[position] ^= in[offset + i];
            if (++position == blockSize) {
                position = 0;
            }
        }
    }

    @Override
    public int doFinal(byte[] out, int offset) {
        byte[] hex = HEX.formatHex(xor).getBytes(StandardCharsets.US_ASCII);
        byte[] work = new byte[blockSize];
        cipher.processBlock(hex, 0, work, 0);
        for (int i = 0; i < blockSize; i++) {
            work[i] ^= hex[blockSize + i];
        }
        cipher.processBlock(work, 0, work, 0);
        byte[] result = HEX.formatHex(work, 0, 4).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(result, 0, out, offset, 8);
        reset();
        return 8;
    }

    @Override
    public void reset() {
        Arrays.fill(xor, (byte) 0);
        position = 0;
    }
}
