/** Limits and velocity: per card, terminal and merchant, per transaction and per business day, counted in the journal database. */
package io.isoswitch.core.limits;
