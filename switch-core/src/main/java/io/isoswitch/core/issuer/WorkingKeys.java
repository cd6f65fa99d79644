package io.isoswitch.core.issuer;

import io.isoswitch.security.SecureKey;
import java.time.Instant;

/**
 * The zone keys a link holds after its key exchange: the ZPK PIN blocks are translated to for this
 * issuer, and the ZAK when the issuer sent one. Handles only: the keys stay under the LMK.
 *
 * @param zonePinKey the ZPK, or null when the link has no ZMK configured (no PIN to this issuer)
 * @param zoneMacKey the ZAK, or null when the issuer sent none
 * @param exchangedAt when the exchange completed
 */
public record WorkingKeys(SecureKey zonePinKey, SecureKey zoneMacKey, Instant exchangedAt) {
    /** A link without a ZMK: signed on, but no keys to use. */
    static WorkingKeys none(Instant now) {
        return new WorkingKeys(null, null, now);
    }
}
