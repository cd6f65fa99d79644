/**
 * The live ops dashboard served at {@code /} of the ops port: one self-contained page polling a
 * JSON view of the switch's own meter registry, sampled into a short history for rates.
 */
package io.isoswitch.core.ops.dashboard;
