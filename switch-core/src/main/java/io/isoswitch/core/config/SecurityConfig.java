package io.isoswitch.core.config;

/**
 * Where the switch's keys come from. The LMK is read from {@code lmkFile} (or the environment, see
 * the security module); the PAN keys are key blocks under the LMK, the same on every node so that
 * tokens match across nodes. Absent PAN keys are generated at first start and written beside the
 * LMK ({@code pan-keys.properties}).
 *
 * @param lmkFile      the local master key file
 * @param panTokenKey  HMAC key block for PAN tokens, or null to use/generate the one beside the LMK
 * @param panDataKey   AES key block for PANs at rest, or null likewise
 */
public record SecurityConfig(String lmkFile, String panTokenKey, String panDataKey) {
    public static final String DEFAULT_LMK_FILE = "data/lmk.key";

    public SecurityConfig {
        lmkFile = lmkFile == null ? DEFAULT_LMK_FILE : lmkFile;
        // one of the two alone was ignored for the file beside the LMK: a key set by hand would not be used
        ConfigException.require((panTokenKey == null) == (panDataKey == null), "security.panTokenKey / security.panDataKey",
                panTokenKey == null ? "panDataKey only" : "panTokenKey only", "both key blocks, or neither (the pan-keys.properties beside the LMK)");
    }

    static SecurityConfig defaults() {
        return new SecurityConfig(null, null, null);
    }

    @Override
    public String toString() {
        return "SecurityConfig[lmkFile=" + lmkFile + "]";
    }
}
