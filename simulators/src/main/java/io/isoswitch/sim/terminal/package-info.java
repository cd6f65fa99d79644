/**
 * The terminal simulator's state that is independent of the wire: STAN and RRN generation, batch
 * totals, and the transaction script a simulated terminal plays.
 */
package io.isoswitch.sim.terminal;
