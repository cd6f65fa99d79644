package io.isoswitch.security;

import io.isoswitch.security.internal.Bytes;
import io.isoswitch.security.internal.Kcv;
import io.isoswitch.security.internal.LoadedKey;
import io.isoswitch.security.internal.Tr31;
import io.isoswitch.security.internal.Tr31Header;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keys under the LMK: wraps clear keys into handles, and unwraps handles into {@link LoadedKey}s,
 * caching them so a terminal's keys are unwrapped once, not per message. Checks each key's kind
 * against the kinds an operation allows.
 */
final class KeyVault {
    /** Proprietary TR-31 optional block (numeric IDs are reserved for proprietary use) naming the kind. */
    static final String KIND_BLOCK = "10";
    /** Cached unwrapped keys; the cache is emptied when it grows past this (keys are re-unwrapped). */
    static final int MAX_CACHED_KEYS = 100_000;

    private final LocalMasterKey lmk;
    private final SecureRandom random;
    private final Map<String, LoadedKey> cache = new ConcurrentHashMap<>();

    KeyVault(LocalMasterKey lmk, SecureRandom random) {
        this.lmk = Objects.requireNonNull(lmk, "lmk");
        this.random = Objects.requireNonNull(random, "random");
    }

    SecureRandom random() {
        return random;
    }

    /** Wraps a clear key (not wiped here) under the LMK. */
    SecureKey store(KeyKind kind, KeyAlgorithm algorithm, byte[] clear) {
        checkAlgorithm(kind, algorithm);
        if (clear.length != algorithm.keyLength()) {
            throw new HsmException("a " + algorithm + " key is " + algorithm.keyLength() + " bytes, found " + clear.length);
        }
        Tr31Header header = new Tr31Header(Tr31.versionFor(LocalMasterKey.ALGORITHM), kind.tr31Usage(),
                algorithm.tr31Code(), kind.tr31ModeOfUse(), "00", 'S', Map.of(KIND_BLOCK, kind.name()));
        String block = lmk.wrap(header, clear, random);
        return new SecureKey(kind, algorithm, block, Kcv.of(algorithm, clear));
    }

    /** Unwraps (or finds cached) the key of {@code handle}, which must be one of {@code allowed}. */
    LoadedKey load(SecureKey handle, String operation, String role, Set<KeyKind> allowed) {
        Objects.requireNonNull(handle, role);
        LoadedKey key = load(handle.keyBlock());
        if (!allowed.contains(key.kind())) {
            throw new KeyUsageException(operation, role, key.kind(), allowed);
        }
        return key;
    }

    LoadedKey load(String keyBlock) {
        LoadedKey cached = cache.get(keyBlock);
        if (cached != null) {
            return cached;
        }
        Tr31.Unwrapped unwrapped = lmk.unwrap(keyBlock);
        try {
            String kindName = unwrapped.header().optionalBlocks().get(KIND_BLOCK);
            if (kindName == null) {
                throw new KeyBlockException("key block has no iso-switch kind block (" + KIND_BLOCK + ")");
            }
            KeyKind kind;
            try {
                kind = KeyKind.valueOf(kindName);
            } catch (IllegalArgumentException e) {
                throw new KeyBlockException("key block names an unknown key kind");
            }
            KeyAlgorithm algorithm = KeyAlgorithm.of(unwrapped.header().algorithm(), unwrapped.key().length);
            LoadedKey key = new LoadedKey(kind, algorithm, unwrapped.key());
            if (cache.size() >= MAX_CACHED_KEYS) {
                cache.clear();
            }
            cache.put(keyBlock, key);
            return key;
        } finally {
            Bytes.wipe(unwrapped.key());
        }
    }

    /** The handle for a stored block, with kind and algorithm read from its authenticated header. */
    SecureKey handle(String keyBlock) {
        LoadedKey key = load(keyBlock);
        byte[] clear = key.copyOfKey();
        try {
            return new SecureKey(key.kind(), key.algorithm(), keyBlock, Kcv.of(key.algorithm(), clear));
        } finally {
            Bytes.wipe(clear);
        }
    }

    /** Which algorithms each kind may use. */
    static void checkAlgorithm(KeyKind kind, KeyAlgorithm algorithm) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(algorithm, "algorithm");
        Set<KeyAlgorithm> allowed = switch (kind) {
            case CVK -> EnumSet.of(KeyAlgorithm.TDES_2KEY);
            case PVK -> EnumSet.of(KeyAlgorithm.TDES_2KEY, KeyAlgorithm.TDES_3KEY);
            case BDK -> EnumSet.of(KeyAlgorithm.TDES_2KEY, KeyAlgorithm.AES_128, KeyAlgorithm.AES_192, KeyAlgorithm.AES_256);
            case DATA, HMAC -> EnumSet.of(KeyAlgorithm.AES_128, KeyAlgorithm.AES_192, KeyAlgorithm.AES_256);
            default -> EnumSet.allOf(KeyAlgorithm.class);
        };
        if (!allowed.contains(algorithm)) {
            throw new KeyUsageException("a " + kind + " cannot be " + algorithm + "; allowed: " + allowed);
        }
    }
}
