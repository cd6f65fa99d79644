package io.isoswitch.security.internal;

import io.isoswitch.security.KeyAlgorithm;
import io.isoswitch.security.MacAlgorithm;
import org.bouncycastle.crypto.Mac;
import org.bouncycastle.crypto.engines.DESedeEngine;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.macs.CBCBlockCipherMac;
import org.bouncycastle.crypto.macs.CMac;
import org.bouncycastle.crypto.paddings.ISO7816d4Padding;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Keyed Bouncy Castle MACs for each {@link MacAlgorithm}. A {@link Mac} resets after
 * {@code doFinal} and keeps its key, so one instance per key and thread serves every message.
 */
public final class Macs {
    private Macs() {}

    /** A MAC keyed with {@code key}; the caller has checked that the algorithm accepts the key. */
    public static Mac create(MacAlgorithm algorithm, KeyAlgorithm keyAlgorithm, byte[] key) {
        Mac mac = switch (algorithm) {
            case ISO9797_1_ALG1_PAD1 -> new CBCBlockCipherMac(new DESedeEngine(), 64);
            case ISO9797_1_ALG1_PAD2 -> new CBCBlockCipherMac(new DESedeEngine(), 64, new ISO7816d4Padding());
            case ANSI_X9_19 -> new RetailMac(false);
            case ISO9797_1_ALG3_PAD2 -> new RetailMac(true);
            case AES_CMAC -> new CMac(Ciphers.engine(keyAlgorithm));
            case CUP_ECB -> new CupEcbMac(Ciphers.engine(keyAlgorithm));
            case SM4_CBC_MAC -> new CBCBlockCipherMac(new SM4Engine(), 128);
        };
        mac.init(new KeyParameter(key));
        return mac;
    }

    /**
     * Computes the full MAC of {@code data[offset, offset + length)}. The MAC is reset first: it is
     * the per-thread cached one, and an earlier call whose update threw part-way (a range past the
     * end of the data) may have left chained blocks in it; a reset only clears the chaining and
     * buffer, never the key schedule.
     */
    public static byte[] compute(Mac mac, byte[] data, int offset, int length) {
        mac.reset();
        mac.update(data, offset, length);
        byte[] out = new byte[mac.getMacSize()];
        mac.doFinal(out, 0);
        return out;
    }
}
