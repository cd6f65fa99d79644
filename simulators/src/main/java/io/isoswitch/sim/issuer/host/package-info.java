/**
 * The issuer host simulator on the wire: a Netty server speaking {@code iso87binary} with 2-byte
 * binary length framing, with sign-on and key exchange, PIN and MAC checks under the session's
 * zone keys, and fault injection; the decisions are {@link io.isoswitch.sim.issuer.IssuerBank}'s.
 */
package io.isoswitch.sim.issuer.host;
