package io.isoswitch.security;

import io.isoswitch.security.internal.Kcv;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import org.bouncycastle.crypto.params.DESParameters;

/**
 * Clear key components for the key ceremony: each custodian holds one, and
 * {@link Hsm#formKey} XORs them into a key under the LMK. A component is the one clear key value
 * ever shown, to its custodian, with its check value so it can be re-entered without error.
 */
public final class KeyComponents {
    private KeyComponents() {}

    /** A random component of the algorithm's length (odd parity for TDES). */
    public static byte[] generate(KeyAlgorithm algorithm, SecureRandom random) {
        byte[] component = new byte[Objects.requireNonNull(algorithm, "algorithm").keyLength()];
        random.nextBytes(component);
        if (algorithm.isTdes()) {
            DESParameters.setOddParity(component);
        }
        return component;
    }

    /** The 3-byte check value of a component, as 6 hex digits. */
    public static String checkValue(KeyAlgorithm algorithm, byte[] component) {
        if (component.length != algorithm.keyLength()) {
            throw new IllegalArgumentException("a " + algorithm + " component is " + algorithm.keyLength()
                    + " bytes, found " + component.length);
        }
        return HexFormat.of().withUpperCase().formatHex(Kcv.of(algorithm, component), 0, 3);
    }
}
