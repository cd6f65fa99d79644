package io.isoswitch.security.internal;

import io.isoswitch.security.KeyAlgorithm;
import io.isoswitch.security.KeyKind;
import io.isoswitch.security.MacAlgorithm;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.Mac;

/**
 * A key unwrapped from its key block and held inside the software HSM, with keyed engines cached
 * per thread: the hot path (PIN translation, MAC verification) reuses them and never re-runs a key
 * schedule or looks up a provider. Never leaves the HSM; {@link #toString()} shows no material.
 */
public final class LoadedKey {
    private final KeyKind kind;
    private final KeyAlgorithm algorithm;
    private final byte[] key;
    private final ThreadLocal<Engines> engines = ThreadLocal.withInitial(Engines::new);

    public LoadedKey(KeyKind kind, KeyAlgorithm algorithm, byte[] key) {
        if (key.length != algorithm.keyLength()) {
            throw new IllegalArgumentException("a " + algorithm + " key is " + algorithm.keyLength() + " bytes, found " + key.length);
        }
        this.kind = kind;
        this.algorithm = algorithm;
        this.key = key.clone();
    }

    public KeyKind kind() {
        return kind;
    }

    public KeyAlgorithm algorithm() {
        return algorithm;
    }

    /** A copy of the clear key for a derivation; the caller wipes it. */
    public byte[] copyOfKey() {
        return key.clone();
    }

    /** This thread's encryptor (ECB, one block per call). */
    public BlockCipher encryptor() {
        Engines e = engines.get();
        if (e.encryptor == null) {
            e.encryptor = Ciphers.encryptor(algorithm, key);
        }
        return e.encryptor;
    }

    public BlockCipher decryptor() {
        Engines e = engines.get();
        if (e.decryptor == null) {
            e.decryptor = Ciphers.decryptor(algorithm, key);
        }
        return e.decryptor;
    }

    /** This thread's single-DES encryptor under the left half (key A of a CVK pair). */
    public BlockCipher leftHalfEncryptor() {
        Engines e = engines.get();
        if (e.leftHalf == null) {
            e.leftHalf = Ciphers.des(key, 0, true);
        }
        return e.leftHalf;
    }

    /** This thread's MAC of {@code macAlgorithm}, keyed and reset. */
    public Mac mac(MacAlgorithm macAlgorithm) {
        Engines e = engines.get();
        Mac mac = e.macs.get(macAlgorithm);
        if (mac == null) {
            mac = Macs.create(macAlgorithm, algorithm, key);
            e.macs.put(macAlgorithm, mac);
        }
        return mac;
    }

    /**
     * This thread's engine of class {@code type}, keyed once by {@code keyed} from the clear key
     * (which it must copy, not keep), then reused: an HMAC whose ipad/opad are hashed once, a GCM
     * cipher whose AES key schedule and hash key are computed once.
     */
    public <T> T engine(Class<T> type, Function<byte[], T> keyed) {
        Engines e = engines.get();
        Object engine = e.others.get(type);
        if (engine == null) {
            engine = keyed.apply(key);
            e.others.put(type, engine);
        }
        return type.cast(engine);
    }

    @Override
    public String toString() {
        return "LoadedKey[" + kind + " " + algorithm + "]";
    }

    private static final class Engines {
        BlockCipher encryptor;
        BlockCipher decryptor;
        BlockCipher leftHalf;
        final EnumMap<MacAlgorithm, Mac> macs = new EnumMap<>(MacAlgorithm.class);
        final Map<Class<?>, Object> others = new HashMap<>(4);
    }
}
