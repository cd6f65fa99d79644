/**
 * The cryptography behind {@link io.isoswitch.security.SoftwareHsm}: TR-31 key blocks, check
 * values, PIN blocks, MACs, DUKPT, PIN and card verification. Not API: these classes work on clear
 * key bytes and are only called by the software HSM (and their tests).
 */
package io.isoswitch.security.internal;
