/**
 * The hardware security module interface of iso-switch and its software implementation.
 *
 * <p>Every key outside this package is an opaque {@link io.isoswitch.security.SecureKey}: a TR-31
 * key block under the local master key, with its kind and check value. Clear keys and clear PINs
 * never leave the {@link io.isoswitch.security.Hsm}; the switch asks it to translate PIN blocks,
 * compute and verify MACs, verify PINs and card verification values, and protect PANs at rest.
 */
package io.isoswitch.security;
