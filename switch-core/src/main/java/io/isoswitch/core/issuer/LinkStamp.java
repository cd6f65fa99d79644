package io.isoswitch.core.issuer;

/**
 * What the link puts into a request: the switch-assigned STAN (field 11), the acquiring
 * institution (field 32) and the forwarding institution (field 33, or null). A
 * {@link RequestWriter} writes them in their places; the link checks that it did.
 *
 * @param stan                     field 11, 1 to 999999, unique among the link's requests in flight
 * @param acquiringInstitutionId   field 32
 * @param forwardingInstitutionId  field 33, or null when the issuer does not want it
 */
public record LinkStamp(int stan, String acquiringInstitutionId, String forwardingInstitutionId) {
}
