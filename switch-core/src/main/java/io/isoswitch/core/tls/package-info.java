/**
 * TLS for terminal listeners and issuer links: contexts built from configuration (PEM or
 * PKCS#12), certificate pinning per issuer, and handshake failures counted.
 */
package io.isoswitch.core.tls;
