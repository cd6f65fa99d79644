package io.isoswitch.sim.card;

import java.util.Objects;

/**
 * What the issuer keeps to verify a card's PIN: a PVV with its key index (PVKI), or an IBM 3624
 * offset. Neither reveals the PIN, yet {@link #toString()} hides the value all the same.
 *
 * @param method PVV or IBM 3624
 * @param pvki   the PIN verification key index, 0 to 6, for PVV; 0 for IBM 3624
 * @param value  the 4-digit PVV, or the 4 to 12 digit IBM 3624 offset
 */
public record PinVerificationData(PinVerificationMethod method, int pvki, String value) {

    public PinVerificationData {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(value, "value");
        if (!Digits.isDigits(value)) {
            throw new IllegalArgumentException("pin verification value: expected digits only");
        }
        switch (method) {
            case PVV -> {
                if (pvki < 0 || pvki > 6) {
                    throw new IllegalArgumentException("pvki: expected 0..6, found " + pvki);
                }
                if (value.length() != 4) {
                    throw new IllegalArgumentException("pvv: expected 4 digits, found " + value.length());
                }
            }
            case IBM3624 -> {
                if (pvki != 0) {
                    throw new IllegalArgumentException("pvki: IBM 3624 takes none (0), found " + pvki);
                }
                if (value.length() < 4 || value.length() > 12) {
                    throw new IllegalArgumentException("ibm3624 offset: expected 4..12 digits, found " + value.length());
                }
            }
        }
    }

    /** A PVV with its key index. */
    public static PinVerificationData pvv(int pvki, String pvv) {
        return new PinVerificationData(PinVerificationMethod.PVV, pvki, pvv);
    }

    /** An IBM 3624 offset. */
    public static PinVerificationData ibm3624(String offset) {
        return new PinVerificationData(PinVerificationMethod.IBM3624, 0, offset);
    }

    @Override
    public String toString() {
        return method + "[pvki=" + pvki + ", value=" + "*".repeat(value.length()) + "]";
    }
}
