package io.isoswitch.security.internal;

import java.util.Arrays;
import org.bouncycastle.crypto.CipherParameters;
import org.bouncycastle.crypto.Mac;
import org.bouncycastle.crypto.engines.DESEngine;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * ISO 9797-1 MAC algorithm 3 (ANSI X9.19 "retail MAC"): DES-CBC under K1 over every block, then
 * DES-decrypt under K2 and DES-encrypt under K1 (K3 with a triple-length key).
 *
 * <p>Bouncy Castle's {@code ISO9797Alg3Mac} computes the same value but builds and keys a fresh
 * DES engine twice in every {@code doFinal}; a DES key schedule costs more than the whole CBC pass
 * over a 200-byte message. This class keys its three engines once, in {@link #init}, so a MAC per
 * key and thread is reused with no key schedule on the hot path.
 */
public final class RetailMac implements Mac {
    private static final int BLOCK = 8;

    private final boolean paddingMethod2;
    private final DESEngine k1 = new DESEngine();
    private final DESEngine k2 = new DESEngine();
    private final DESEngine k3 = new DESEngine();
    private final byte[] chain = new byte[BLOCK];
    private final byte[] buffer = new byte[BLOCK];
    private int buffered;

    /** @param paddingMethod2 ISO 9797-1 padding method 2 ({@code 80 00..}) instead of method 1 (zeros) */
    public RetailMac(boolean paddingMethod2) {
        this.paddingMethod2 = paddingMethod2;
    }

    @Override
    public void init(CipherParameters params) {
        if (!(params instanceof KeyParameter keyParameter)) {
            throw new IllegalArgumentException("params must be a KeyParameter");
        }
        byte[] key = keyParameter.getKey();
        if (key.length != 16 && key.length != 24) {
            throw new IllegalArgumentException("a retail MAC key is 16 or 24 bytes, found " + key.length);
        }
        k1.init(true, new KeyParameter(key, 0, BLOCK));
        k2.init(false, new KeyParameter(key, BLOCK, BLOCK));
        k3.init(true, new KeyParameter(key, key.length == 24 ? 2 * BLOCK : 0, BLOCK));
        Arrays.fill(key, (byte) 0);
        reset();
    }

    @Override
    public String getAlgorithmName() {
        return "ISO9797Alg3/DES";
    }

    @Override
    public int getMacSize() {
        return BLOCK;
    }

    @Override
    public void update(byte in) {
        if (buffered == BLOCK) {
            chainBuffer();
        }
        buffer[buffered++] = in;
    }

    @Override
    public void update(byte[] in, int offset, int length) {
        int position = offset;
        int end = offset + length;
        while (position < end) {
            if (buffered == BLOCK) {
                chainBuffer();
            }
            int take = Math.min(BLOCK - buffered, end - position);
            System.arraycopy(in, position, buffer, buffered, take);
            buffered += take;
            position += take;
        }
    }

    /** The last block stays buffered until more data or doFinal, so padding sees it. */
    private void chainBuffer() {
        for (int i = 0; i < BLOCK; i++) {
            chain[i] ^= buffer[i];
        }
        k1.processBlock(chain, 0, chain, 0);
        buffered = 0;
    }

    @Override
    public int doFinal(byte[] out, int offset) {
        if (paddingMethod2) {
            if (buffered == BLOCK) {
                chainBuffer();
            }
            buffer[buffered++] = (byte) 0x80;
        }
        // method 1: zeros to a whole block; an empty message becomes one zero block
        Arrays.fill(buffer, buffered, BLOCK, (byte) 0);
        chainBuffer();
        k2.processBlock(chain, 0, chain, 0);
        k3.processBlock(chain, 0, out, offset);
        reset();
        return BLOCK;
    }

    @Override
    public void reset() {
        Arrays.fill(chain, (byte) 0);
        Arrays.fill(buffer, (byte) 0);
        buffered = 0;
    }
}
