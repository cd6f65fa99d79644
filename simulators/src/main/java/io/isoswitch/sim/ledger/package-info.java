/**
 * The simulated issuer's ledger: every balance change is an entry that names the request it came
 * from and, for a reversal, the entry it reverses, so money can be audited (balance = opening +
 * entries) and exported.
 */
package io.isoswitch.sim.ledger;
