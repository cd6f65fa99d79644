/**
 * Simulated peers of the switch: an issuer bank host ({@code sim.issuer}, with its cards in
 * {@code sim.card} and its ledger in {@code sim.ledger}), POS terminals ({@code sim.terminal}) and
 * the fault injection that makes either misbehave on purpose ({@code sim.fault}).
 */
package io.isoswitch.sim;
