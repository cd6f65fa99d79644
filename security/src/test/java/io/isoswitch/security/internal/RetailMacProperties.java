package io.isoswitch.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.bouncycastle.crypto.Mac;
import org.bouncycastle.crypto.engines.DESEngine;
import org.bouncycastle.crypto.macs.ISO9797Alg3Mac;
import org.bouncycastle.crypto.paddings.ISO7816d4Padding;
import org.bouncycastle.crypto.params.KeyParameter;

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

    @Property(tries = 300)
    void matchesBouncyCastleIso9797Alg3ForBothPaddingsAndKeyLengths(@ForAll @Size(max = 80) byte[] data,
                                                                     @ForAll @Size(24) byte[] key,
                                                                     @ForAll boolean tripleLength,
                                                                     @ForAll boolean paddingMethod2) {
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
    }
}
