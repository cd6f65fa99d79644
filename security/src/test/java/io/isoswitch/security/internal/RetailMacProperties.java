package io.isoswitch.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;

import io.isoswitch.testkit.gen.Gens;
import org.bouncycastle.crypto.Mac;
import org.bouncycastle.crypto.engines.DESEngine;
import org.bouncycastle.crypto.macs.ISO9797Alg3Mac;
import org.bouncycastle.crypto.paddings.ISO7816d4Padding;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

/** Our pre-keyed retail MAC computes what Bouncy Castle's ISO9797Alg3Mac computes, call after call. */
class RetailMacProperties {
    private static byte[] mac(Mac mac, byte[] data, int split) {
        mac.update(data, 0, split);
        for (int i = split; i < data.length; i++) {
            mac.update(data[i]);
        }
        byte[] out = new byte[8];
        mac.doFinal(out, 0);
        return out;
    }

    @Test
    void matchesBouncyCastleIso9797Alg3ForBothPaddingsAndKeyLengths() {
        qt().withExamples(300)
                .forAll(Gens.byteArrays(0, 80), Gens.byteArrays(24, 24), booleans().all(), booleans().all())
                .checkAssert((data, key, tripleLength, paddingMethod2) -> {
                    byte[] k = tripleLength ? key : java.util.Arrays.copyOf(key, 16);
                    RetailMac ours = new RetailMac(paddingMethod2);
                    ours.init(new KeyParameter(k));
                    ISO9797Alg3Mac theirs = paddingMethod2 ? new ISO9797Alg3Mac(new DESEngine(), new ISO7816d4Padding())
                            : new ISO9797Alg3Mac(new DESEngine());
                    theirs.init(new KeyParameter(k));
                    int split = data.length / 2;
                    byte[] first = mac(ours, data, split);
                    assertThat(first).isEqualTo(mac(theirs, data, split));
                    assertThat(mac(ours, data, data.length)).as("reused after doFinal").isEqualTo(first);
                });
    }
}
