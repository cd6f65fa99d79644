package io.isoswitch.core.issuer;

/**
 * What the link puts into a request: the switch-assigned STAN (field 11), the acquiring
 * institution (field 32) and the forwarding institution (field 33, or null), and the zone keys of
 * the connection the request goes out on (translate the PIN to {@code keys.zonePinKey()}). A
 * {@link RequestWriter} writes them in their places; the link checks fields 11, 32 and 33.
 *
 * @param stan                     field 11, 1 to 999999, unique among the link's requests in flight
 * @param acquiringInstitutionId   field 32
 * @param forwardingInstitutionId  field 33, or null when the issuer does not want it
 * @param keys                     the connection's zone keys: never null in a request sent with
 *                                 {@code send} (their ZPK is null when the link has no ZMK)
 */
public record LinkStamp(int stan, String acquiringInstitutionId, String forwardingInstitutionId, WorkingKeys keys) {
}
