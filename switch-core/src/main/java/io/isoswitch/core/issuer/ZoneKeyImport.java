package io.isoswitch.core.issuer;

import io.isoswitch.core.config.ConfigException;
import io.isoswitch.security.ExportedKey;
import io.isoswitch.security.Hsm;
import io.isoswitch.security.KeyAlgorithm;
import io.isoswitch.security.KeyKind;
import io.isoswitch.security.SecureKey;
import java.time.Clock;
import java.util.List;

/**
 * Turns the keys of a sign-on answer into handles under the LMK. Every sign-on of a connection
 * brings a fresh ZPK (and ZAK) from the issuer, encrypted under the ZMK the two institutions
 * share ({@link ZoneKeyData}); the HSM imports each one, checking its check value, so a damaged
 * cryptogram or a ZMK mismatch fails the sign-on instead of every PIN after it.
 */
final class ZoneKeyImport {
    private final String issuerId;
    private final Hsm hsm;
    private final SecureKey zmk;
    /** Keys agreed out of band (the issuer sends none at sign-on), or null. */
    private final SecureKey staticZpk;
    private final SecureKey staticZak;
    private final Clock clock;

    ZoneKeyImport(IssuerConfig config, Hsm hsm, Clock clock) {
        this.issuerId = config.issuerId();
        this.hsm = hsm;
        this.clock = clock;
        String at = "issuers[" + issuerId + "].";
        this.zmk = config.zmkKeyBlock() == null ? null : load(at + "zmkKeyBlock", config.zmkKeyBlock(), KeyKind.ZMK);
        IssuerConfig.StaticZoneKeys fixed = config.staticKeys();
        this.staticZpk = fixed == null ? null : load(at + "staticKeys.zpkKeyBlock", fixed.zpkKeyBlock(), KeyKind.ZPK);
        this.staticZak = fixed == null || fixed.zakKeyBlock() == null ? null
                : load(at + "staticKeys.zakKeyBlock", fixed.zakKeyBlock(), KeyKind.ZAK);
    }

    private SecureKey load(String key, String keyBlock, KeyKind expected) {
        if (hsm == null) {
            throw new ConfigException(key + " is set but the switch has no HSM to use it");
        }
        SecureKey loaded;
        try {
            loaded = hsm.loadKey(keyBlock);
        } catch (RuntimeException e) {
            throw new ConfigException(key + " = ****: expected a key block under this switch's LMK (" + e.getMessage() + ")", e);
        }
        if (loaded.kind() != expected) {
            throw new ConfigException(key + " = ****: expected a " + expected.description() + ", found a " + loaded.kind());
        }
        return loaded;
    }

    /** Whether the link exchanges keys at sign-on (it has a ZMK). */
    boolean enabled() {
        return zmk != null;
    }

    /**
     * The keys of a sign-on answer's field 48 (null if absent), or the static keys, whatever the
     * answer carries.
     *
     * @throws KeyExchangeException when keys are expected and missing, malformed or fail their check value
     */
    WorkingKeys fromSignOn(String field48) {
        if (staticZpk != null) {
            return new WorkingKeys(staticZpk, staticZak, clock.instant());
        }
        if (zmk == null) {
            return WorkingKeys.none(clock.instant());
        }
        if (field48 == null) {
            throw new KeyExchangeException(issuerId, "the sign-on answer carries no keys in field 48");
        }
        List<ExportedKey> keys;
        try {
            keys = ZoneKeyData.parse(field48);
        } catch (IllegalArgumentException e) {
            throw new KeyExchangeException(issuerId, e.getMessage(), e);
        }
        if (keys.size() > 2) {
            throw new KeyExchangeException(issuerId, "field 48: expected a ZPK and at most a ZAK, found " + keys.size() + " keys");
        }
        try {
            SecureKey zpk = importKey(KeyKind.ZPK, keys.get(0));
            SecureKey zak = keys.size() == 2 ? importKey(KeyKind.ZAK, keys.get(1)) : null;
            return new WorkingKeys(zpk, zak, clock.instant());
        } catch (RuntimeException e) {
            throw new KeyExchangeException(issuerId, "the HSM refused a key: " + e.getMessage(), e);
        }
    }

    private SecureKey importKey(KeyKind kind, ExportedKey key) {
        KeyAlgorithm algorithm = key.cryptogram().length == 24 ? KeyAlgorithm.TDES_3KEY : KeyAlgorithm.TDES_2KEY;
        return hsm.importKey(kind, algorithm, key.cryptogram(), zmk, key.checkValue());
    }
}
