package io.isoswitch.sim.issuer.host;

import io.isoswitch.security.Hsm;
import io.isoswitch.security.KeyAlgorithm;
import io.isoswitch.security.KeyKind;
import io.isoswitch.security.PinBlockFormat;
import io.isoswitch.security.SecureKey;
import io.isoswitch.sim.card.PinEnroller;
import io.isoswitch.sim.card.PinVerificationData;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A simulated issuer's long-lived keys in its HSM: the zone master key it shares with the switch
 * (working keys travel under it at sign-on) and the PIN verification key its PVVs and offsets are
 * computed under. Also enrolls PINs (the card generator's {@link PinEnroller}).
 *
 * @param hsm the issuer's HSM
 * @param zmk zone master key shared with the acquirer
 * @param pvk PIN verification key
 */
public record IssuerKeys(Hsm hsm, SecureKey zmk, SecureKey pvk) {
    /** The IBM 3624 decimalisation table the simulator uses (the common default). */
    public static final String DECIMALISATION_TABLE = "0123456789012345";
    /**
     * The published test ZMK of demos and tests (clear, double-length TDES). A test key: anyone can
     * read it here, so it protects nothing real.
     */
    public static final String TEST_ZMK = "0123456789ABCDEFFEDCBA9876543210";
    /** The published test PVK the demo's card files are enrolled under; a test key as well. */
    public static final String TEST_PVK = "11223344556677888877665544332211";
    /** PVKI written into generated cards. */
    public static final int DEFAULT_PVKI = 1;

    public IssuerKeys {
        Objects.requireNonNull(hsm, "hsm");
        Objects.requireNonNull(zmk, "zmk");
        Objects.requireNonNull(pvk, "pvk");
    }

    /**
     * Keys formed from clear double-length TDES values (32 hex digits each), as a key ceremony
     * would enter them: the way tests, demos and the command line share a ZMK with the switch.
     */
    public static IssuerKeys fromClear(Hsm hsm, String zmkHex, String pvkHex) {
        return new IssuerKeys(hsm, form(hsm, KeyKind.ZMK, zmkHex, "zmk"), form(hsm, KeyKind.PVK, pvkHex, "pvk"));
    }

    private static SecureKey form(Hsm hsm, KeyKind kind, String hex, String name) {
        if (hex == null || hex.length() != 32) {
            throw new IllegalArgumentException(name + ": expected 32 hex digits (a double-length TDES key)");
        }
        List<byte[]> components = new ArrayList<>();
        try {
            components.add(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": expected 32 hex digits (a double-length TDES key)", e);
        }
        return hsm.formKey(kind, KeyAlgorithm.TDES_2KEY, components);
    }

    /** IBM 3624 validation data of a card: its first 16 PAN digits, padded with F when shorter. */
    public static String validationData(String pan) {
        String digits = pan.length() >= 16 ? pan.substring(0, 16) : pan;
        return (digits + "FFFFFFFFFFFFFFFF").substring(0, 16);
    }

    /** Enrolls PINs as Visa PVVs under the PVK (through a throw-away PIN key, as an HSM must). */
    public PinEnroller pvvEnroller() {
        SecureKey pinKey = hsm.generateKey(KeyKind.ZPK, KeyAlgorithm.TDES_2KEY);
        return (pan, pin) -> {
            byte[] block = hsm.encryptPin(pinKey, pin, pan, PinBlockFormat.ISO_0);
            return PinVerificationData.pvv(DEFAULT_PVKI, hsm.visaPvv(pinKey, block, PinBlockFormat.ISO_0, pan, pvk,
                    DEFAULT_PVKI));
        };
    }

    /** Enrolls PINs as IBM 3624 offsets (4 digits) under the PVK. */
    public PinEnroller ibm3624Enroller() {
        SecureKey pinKey = hsm.generateKey(KeyKind.ZPK, KeyAlgorithm.TDES_2KEY);
        return (pan, pin) -> {
            byte[] block = hsm.encryptPin(pinKey, pin, pan, PinBlockFormat.ISO_0);
            return PinVerificationData.ibm3624(hsm.ibm3624Offset(pinKey, block, PinBlockFormat.ISO_0, pan, pvk,
                    DECIMALISATION_TABLE, validationData(pan), pin.length()));
        };
    }

    /** Whether the PIN in {@code pinBlock} (ISO format 0 under {@code zpk}) is the card's. */
    public boolean verifyPin(SecureKey zpk, byte[] pinBlock, String pan, PinVerificationData data) {
        return switch (data.method()) {
            case PVV -> hsm.verifyPinVisaPvv(zpk, pinBlock, PinBlockFormat.ISO_0, pan, pvk, data.pvki(), data.value());
            case IBM3624 -> hsm.verifyPinIbm3624(zpk, pinBlock, PinBlockFormat.ISO_0, pan, pvk, DECIMALISATION_TABLE,
                    validationData(pan), data.value());
        };
    }
}
