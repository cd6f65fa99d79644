package io.isoswitch.security;

/**
 * What a key is for. Each kind maps to a TR-31 key usage and mode of use; iso-switch also writes
 * the kind itself into a proprietary optional block (ID {@code 10}) of every key block under the
 * local master key, since TR-31 usages do not tell a terminal key from a zone key.
 */
public enum KeyKind {
    /** Terminal master key: protects working keys sent to a terminal at sign-on. */
    TMK("K0", 'B', "terminal master key"),
    /** Terminal PIN key (PIK): PIN blocks between a terminal and the switch. */
    TPK("P0", 'B', "terminal PIN key"),
    /** Terminal MAC key (MAK): MACs between a terminal and the switch. */
    TAK("M3", 'C', "terminal MAC key"),
    /** Terminal data key (TDK): track data encryption. */
    TDK("D0", 'B', "terminal data key"),
    /** Zone master key: protects keys exchanged with another institution. */
    ZMK("K0", 'B', "zone master key"),
    /** Zone PIN key: PIN blocks between the switch and an issuer. */
    ZPK("P0", 'B', "zone PIN key"),
    /** Zone MAC key: MACs between the switch and an issuer. */
    ZAK("M3", 'C', "zone MAC key"),
    /** DUKPT base derivation key. */
    BDK("B0", 'X', "base derivation key"),
    /** PIN verification key: IBM 3624 offsets and Visa PVVs. */
    PVK("V0", 'C', "PIN verification key"),
    /** Card verification key pair (A ‖ B): CVV, CVC, CVV2, iCVV. */
    CVK("C0", 'C', "card verification key"),
    /** AES key that encrypts PANs at rest (AES-GCM). */
    DATA("D0", 'B', "PAN data key"),
    /** HMAC-SHA256 key that turns PANs into lookup tokens. */
    HMAC("M7", 'C', "PAN token key");

    private final String tr31Usage;
    private final char tr31ModeOfUse;
    private final String description;

    KeyKind(String tr31Usage, char tr31ModeOfUse, String description) {
        this.tr31Usage = tr31Usage;
        this.tr31ModeOfUse = tr31ModeOfUse;
        this.description = description;
    }

    public String tr31Usage() {
        return tr31Usage;
    }

    public char tr31ModeOfUse() {
        return tr31ModeOfUse;
    }

    public String description() {
        return description;
    }

    /** Key-encrypting keys: they wrap other keys for export and import. */
    public boolean isKeyEncryptingKey() {
        return this == TMK || this == ZMK;
    }

    /**
     * The kind a key block received from a partner under a zone master key stands for, when it
     * carries no iso-switch kind block: zone kinds, since it came from another institution.
     */
    public static KeyKind forPartnerUsage(String tr31Usage) {
        return switch (tr31Usage) {
            case "P0" -> ZPK;
            case "M0", "M1", "M3", "M6" -> ZAK;
            case "K0", "K1" -> ZMK;
            case "B0" -> BDK;
            case "V0", "V1", "V2" -> PVK;
            case "C0" -> CVK;
            case "D0" -> TDK;
            default -> throw new KeyBlockException("TR-31 key usage " + tr31Usage + " is not supported");
        };
    }
}
