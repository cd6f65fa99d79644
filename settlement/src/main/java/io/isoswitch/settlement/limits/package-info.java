/**
 * Limit and velocity counters per card, terminal and merchant, kept in the journal database so
 * that they hold across restarts and across switch nodes. An increment is a check-and-increment
 * in one conditional UPDATE: no race between nodes can push a counter past its limit.
 */
package io.isoswitch.settlement.limits;
