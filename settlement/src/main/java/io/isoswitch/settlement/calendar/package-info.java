/**
 * The business date shared by every switch node: held in one database row, read cheaply from a
 * cached copy refreshed in the background, and moved on by cutover (at a configured local time or
 * by command) exactly once across nodes.
 */
package io.isoswitch.settlement.calendar;
