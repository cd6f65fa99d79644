package io.isoswitch.sim.issuer.host;

import io.isoswitch.security.SecureKey;

/**
 * One connection's sign-on state: the zone PIN and MAC keys issued at its last sign-on. Keys
 * belong to the connection that signed on (each link connection signs on for itself), so a
 * sign-on on one connection never changes the keys under requests in flight on another. Confined
 * to the connection's event loop.
 */
final class IssuerSession {
    private SecureKey zpk;
    private SecureKey zak;

    boolean signedOn() {
        return zpk != null;
    }

    SecureKey zpk() {
        return zpk;
    }

    SecureKey zak() {
        return zak;
    }

    void signOn(SecureKey newZpk, SecureKey newZak) {
        this.zpk = newZpk;
        this.zak = newZak;
    }

    void signOff() {
        this.zpk = null;
        this.zak = null;
    }
}
