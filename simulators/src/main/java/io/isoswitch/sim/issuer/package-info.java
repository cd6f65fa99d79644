/**
 * The simulated issuer bank's brain, free of any wire format: {@link io.isoswitch.sim.issuer.IssuerBank}
 * decides each {@link io.isoswitch.sim.issuer.AuthorizationRequest} with the pure
 * {@link io.isoswitch.sim.issuer.AuthorizationRules}, books the money in its ledger, and answers
 * repeats from what it answered before.
 */
package io.isoswitch.sim.issuer;
