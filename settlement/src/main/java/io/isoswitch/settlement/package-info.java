/**
 * Settlement: the durable journal of every transaction the switch handles, its schema, the
 * store-and-forward queue, limit counters and the terminal and merchant registry. Errors surface
 * as the unchecked {@link io.isoswitch.settlement.JournalException} family.
 */
package io.isoswitch.settlement;
