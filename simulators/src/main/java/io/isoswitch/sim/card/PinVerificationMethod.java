package io.isoswitch.sim.card;

/** How the issuer verifies a PIN without storing it. */
public enum PinVerificationMethod {
    /** Visa PIN Verification Value: 4 digits derived from PAN, PVKI and PIN under the PVK. */
    PVV,
    /** IBM 3624: the natural PIN derived from the PAN under the PVK, plus a stored offset. */
    IBM3624
}
