package io.isoswitch.sim.card;

/**
 * Turns a chosen PIN into the verification data the issuer stores (a PVV under the PVK, or an IBM
 * 3624 offset). The card generator calls it for every card it makes; the issuer simulator supplies
 * one backed by the software HSM.
 */
@FunctionalInterface
public interface PinEnroller {
    /** The verification data for {@code pin} on the card {@code pan}. */
    PinVerificationData enroll(String pan, String pin);
}
