package io.isoswitch.core.issuer;

import io.isoswitch.security.SecureKey;
import java.time.Instant;

/**
 * The zone keys of one signed-on connection, received at its sign-on: the ZPK that PIN blocks sent
 * on that connection must be translated to, and the ZAK when the issuer sent one. Handles only:
 * the keys stay under the LMK. Each connection has its own (the issuer keeps keys per session),
 * so a request is written with the keys of the connection it goes out on ({@link LinkStamp#keys()}).
 *
 * @param zonePinKey  the ZPK, or null when the link has no ZMK configured (no PIN to this issuer)
 * @param zoneMacKey  the ZAK, or null when the issuer sent none
 * @param exchangedAt when the sign-on brought them
 */
public record WorkingKeys(SecureKey zonePinKey, SecureKey zoneMacKey, Instant exchangedAt) {
    /** A link without a ZMK: signed on, but no keys to use. */
    static WorkingKeys none(Instant now) {
        return new WorkingKeys(null, null, now);
    }
}
