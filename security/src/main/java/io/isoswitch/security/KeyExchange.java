package io.isoswitch.security;

import io.isoswitch.security.internal.Bytes;
import io.isoswitch.security.internal.Ciphers;
import io.isoswitch.security.internal.Kcv;
import io.isoswitch.security.internal.LoadedKey;
import io.isoswitch.security.internal.Tr31;
import io.isoswitch.security.internal.Tr31Header;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.crypto.params.DESParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Key life cycle: generation, forming from components, export under a TMK or ZMK (ECB for
 * sign-on replies, TR-31 for partners) and import under one.
 */
final class KeyExchange {
    private static final Logger LOG = LoggerFactory.getLogger(KeyExchange.class);
    private static final Set<KeyKind> KEKS = EnumSet.of(KeyKind.TMK, KeyKind.ZMK);
    /** A TMK only carries a terminal's working keys; DATA and HMAC keys never leave the switch. */
    private static final Set<KeyKind> UNDER_TMK = EnumSet.of(KeyKind.TPK, KeyKind.TAK, KeyKind.TDK);
    private static final Set<KeyKind> UNDER_ZMK = EnumSet.complementOf(EnumSet.of(KeyKind.DATA, KeyKind.HMAC));
    static final int MAX_COMPONENTS = 9;

    private final KeyVault vault;

    KeyExchange(KeyVault vault) {
        this.vault = vault;
    }

    SecureKey generate(KeyKind kind, KeyAlgorithm algorithm) {
        KeyVault.checkAlgorithm(kind, algorithm);
        byte[] clear = new byte[algorithm.keyLength()];
        vault.random().nextBytes(clear);
        try {
            return stored("generateKey", kind, algorithm, clear);
        } finally {
            Bytes.wipe(clear);
        }
    }

    /**
     * A single-length DES key K held as the double-length key K K: 3DES with equal halves is single
     * DES, so every operation on it (PIN blocks, MACs, its check value) is the single-DES one, and its
     * ECB export is the single-length cryptogram twice. For terminals that take single-length keys.
     */
    SecureKey generateSingleLength(KeyKind kind) {
        KeyVault.checkAlgorithm(kind, KeyAlgorithm.TDES_2KEY);
        byte[] clear = new byte[KeyAlgorithm.TDES_2KEY.keyLength()];
        vault.random().nextBytes(clear);
        System.arraycopy(clear, 0, clear, 8, 8);
        try {
            return stored("generateSingleLengthKey", kind, KeyAlgorithm.TDES_2KEY, clear);
        } finally {
            Bytes.wipe(clear);
        }
    }

    SecureKey form(KeyKind kind, KeyAlgorithm algorithm, List<byte[]> components) {
        KeyVault.checkAlgorithm(kind, algorithm);
        Objects.requireNonNull(components, "clearComponents");
        if (components.isEmpty() || components.size() > MAX_COMPONENTS) {
            throw new IllegalArgumentException("clearComponents must hold 1.." + MAX_COMPONENTS + " components, found " + components.size());
        }
        byte[] clear = new byte[algorithm.keyLength()];
        try {
            for (int i = 0; i < components.size(); i++) {
                byte[] component = Objects.requireNonNull(components.get(i), "clearComponents[" + i + "]");
                if (component.length != clear.length) {
                    throw new IllegalArgumentException("clearComponents[" + i + "] must be " + clear.length
                            + " bytes for " + algorithm + ", found " + component.length);
                }
                for (int j = 0; j < clear.length; j++) {
                    clear[j] ^= component[j];
                }
            }
            return stored("formKey", kind, algorithm, clear);
        } finally {
            Bytes.wipe(clear);
            components.forEach(Bytes::wipe);
        }
    }

    private SecureKey stored(String operation, KeyKind kind, KeyAlgorithm algorithm, byte[] clear) {
        if (algorithm.isTdes()) {
            DESParameters.setOddParity(clear);
        }
        SecureKey key = vault.store(kind, algorithm, clear);
        LOG.trace("{} {}", operation, key);
        return key;
    }

    ExportedKey export(SecureKey key, SecureKey kek) {
        LoadedKey wrapping = vault.load(kek, "exportKey", "kek", KEKS);
        LoadedKey exported = vault.load(key, "exportKey", "key", wrapping.kind() == KeyKind.TMK ? UNDER_TMK : UNDER_ZMK);
        if (key.equals(kek)) {
            throw new KeyUsageException("exportKey: a key cannot be exported under itself");
        }
        if (exported.algorithm().keyLength() % wrapping.algorithm().blockSize() != 0) {
            throw new KeyUsageException("exportKey: a " + exported.algorithm() + " key is not a whole number of "
                    + wrapping.algorithm() + " blocks; use exportKeyBlock");
        }
        byte[] clear = exported.copyOfKey();
        try {
            ExportedKey result = new ExportedKey(Ciphers.ecb(wrapping.encryptor(), clear), Kcv.of(exported.algorithm(), clear));
            LOG.trace("exportKey {} under {}", key, kek);
            return result;
        } finally {
            Bytes.wipe(clear);
        }
    }

    String exportBlock(SecureKey key, SecureKey kek) {
        LoadedKey wrapping = vault.load(kek, "exportKeyBlock", "kek", KEKS);
        LoadedKey exported = vault.load(key, "exportKeyBlock", "key", wrapping.kind() == KeyKind.TMK ? UNDER_TMK : UNDER_ZMK);
        Tr31Header header = new Tr31Header(Tr31.versionFor(wrapping.algorithm()), exported.kind().tr31Usage(),
                exported.algorithm().tr31Code(), exported.kind().tr31ModeOfUse(), "00", 'E', Map.of());
        byte[] kekClear = wrapping.copyOfKey();
        byte[] clear = exported.copyOfKey();
        try {
            String block = Tr31.wrap(wrapping.algorithm(), kekClear, header, clear, vault.random());
            LOG.trace("exportKeyBlock {} under {}", key, kek);
            return block;
        } finally {
            Bytes.wipe(kekClear, clear);
        }
    }

    SecureKey importEcb(KeyKind kind, KeyAlgorithm algorithm, byte[] cryptogram, SecureKey kek, byte[] expectedCheckValue) {
        KeyVault.checkAlgorithm(kind, algorithm);
        LoadedKey wrapping = vault.load(kek, "importKey", "kek", KEKS);
        Set<KeyKind> allowed = wrapping.kind() == KeyKind.TMK ? UNDER_TMK : UNDER_ZMK;
        if (!allowed.contains(kind)) {
            throw new KeyUsageException("importKey: a " + kind + " cannot arrive under a " + wrapping.kind());
        }
        Objects.requireNonNull(cryptogram, "cryptogram");
        if (cryptogram.length != algorithm.keyLength() || cryptogram.length % wrapping.algorithm().blockSize() != 0) {
            throw new HsmException("importKey: a " + algorithm + " cryptogram under a " + wrapping.algorithm()
                    + " key must be " + algorithm.keyLength() + " bytes in whole blocks, found " + cryptogram.length);
        }
        byte[] clear = Ciphers.ecb(wrapping.decryptor(), cryptogram);
        try {
            checkValue(algorithm, clear, expectedCheckValue);
            SecureKey key = vault.store(kind, algorithm, clear);
            LOG.trace("importKey {} under {}", key, kek);
            return key;
        } finally {
            Bytes.wipe(clear);
        }
    }

    SecureKey importBlock(String keyBlock, SecureKey kek) {
        LoadedKey wrapping = vault.load(kek, "importKeyBlock", "kek", KEKS);
        byte[] kekClear = wrapping.copyOfKey();
        Tr31.Unwrapped unwrapped;
        try {
            unwrapped = Tr31.unwrap(wrapping.algorithm(), kekClear, Objects.requireNonNull(keyBlock, "keyBlock"));
        } finally {
            Bytes.wipe(kekClear);
        }
        try {
            KeyKind kind = partnerKind(unwrapped.header().optionalBlocks().get(KeyVault.KIND_BLOCK),
                    unwrapped.header().usage(), wrapping.kind());
            KeyAlgorithm algorithm = KeyAlgorithm.of(unwrapped.header().algorithm(), unwrapped.key().length);
            SecureKey key = vault.store(kind, algorithm, unwrapped.key());
            LOG.trace("importKeyBlock {} under {}", key, kek);
            return key;
        } finally {
            Bytes.wipe(unwrapped.key());
        }
    }

    /**
     * The kind of a key received in a TR-31 block: iso-switch's kind block when another iso-switch
     * sent it under a ZMK, else the zone kind of its usage; under a TMK, the terminal kinds.
     */
    private static KeyKind partnerKind(String kindName, String usage, KeyKind kek) {
        KeyKind kind;
        try {
            kind = kindName != null && kek == KeyKind.ZMK ? KeyKind.valueOf(kindName) : KeyKind.forPartnerUsage(usage);
        } catch (IllegalArgumentException e) {
            throw new KeyBlockException("key block names an unknown key kind");
        }
        if (kek == KeyKind.TMK) {
            kind = switch (kind) {
                case ZPK -> KeyKind.TPK;
                case ZAK -> KeyKind.TAK;
                default -> kind;
            };
        }
        Set<KeyKind> allowed = kek == KeyKind.TMK ? UNDER_TMK : UNDER_ZMK;
        if (!allowed.contains(kind)) {
            throw new KeyUsageException("importKeyBlock: a " + kind + " cannot arrive under a " + kek);
        }
        return kind;
    }

    private static void checkValue(KeyAlgorithm algorithm, byte[] clear, byte[] expected) {
        if (expected == null) {
            return;
        }
        byte[] actual = Kcv.of(algorithm, clear);
        if (!Bytes.constantTimePrefixEquals(actual, expected, 2)) {
            throw new HsmException("importKey: the key's check value does not match the one received (wrong key or damaged cryptogram)");
        }
    }
}
