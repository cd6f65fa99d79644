/**
 * Wire helpers the simulators share: a blocking framed socket for simulated peers, field 90
 * original data, track 2, the working-key field of sign-on replies, and MACs over encoded messages.
 */
package io.isoswitch.sim.wire;
