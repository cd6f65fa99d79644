/**
 * Issuer links: persistent outbound connections per issuer that sign on (taking their zone keys
 * under the ZMK), echo when idle and reconnect with backoff; requests stamped with switch STANs
 * and matched to answers by message class, STAN and institution, with exactly one outcome each;
 * health and failover for routing. Start at {@link io.isoswitch.core.issuer.IssuerLinks}.
 */
package io.isoswitch.core.issuer;
