package io.isoswitch.security;

import io.isoswitch.security.internal.AesDukpt;
import io.isoswitch.security.internal.Bytes;
import io.isoswitch.security.internal.LoadedKey;
import io.isoswitch.security.internal.TdesDukpt;
import java.util.EnumSet;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DUKPT working keys for one transaction: TDES DUKPT for a double-length BDK and a 10-byte KSN,
 * AES DUKPT (AES-128 working keys) for an AES BDK and a 12-byte KSN. Derived keys are not cached:
 * each KSN is used once.
 */
final class DukptKeys {
    private static final Logger LOG = LoggerFactory.getLogger(DukptKeys.class);
    private final KeyVault vault;

    DukptKeys(KeyVault vault) {
        this.vault = vault;
    }

    LoadedKey derive(SecureKey bdk, Ksn ksn, DukptKeyUsage usage, String operation) {
        Objects.requireNonNull(ksn, "ksn");
        Objects.requireNonNull(usage, "usage");
        LoadedKey base = vault.load(bdk, operation, "bdk", EnumSet.of(KeyKind.BDK));
        LOG.trace("{} {} ksn={} usage={}", operation, bdk, ksn, usage);
        byte[] clear = base.copyOfKey();
        byte[] derived = null;
        try {
            KeyAlgorithm algorithm;
            if (base.algorithm().isTdes()) {
                if (ksn.isAes()) {
                    throw new HsmException(operation + ": a TDES BDK needs a 10-byte KSN, found 12 bytes");
                }
                derived = TdesDukpt.derive(clear, ksn.bytes(), usage);
                algorithm = KeyAlgorithm.TDES_2KEY;
            } else {
                if (!ksn.isAes()) {
                    throw new HsmException(operation + ": an AES BDK needs a 12-byte KSN, found 10 bytes");
                }
                algorithm = KeyAlgorithm.AES_128;
                derived = AesDukpt.derive(base.algorithm(), clear, ksn.bytes(), usage, algorithm);
            }
            KeyKind kind = switch (usage) {
                case PIN -> KeyKind.TPK;
                case MAC_REQUEST, MAC_RESPONSE -> KeyKind.TAK;
                case DATA_REQUEST, DATA_RESPONSE -> KeyKind.TDK;
            };
            return new LoadedKey(kind, algorithm, derived);
        } finally {
            Bytes.wipe(clear, derived);
        }
    }
}
