/**
 * China UnionPay POS framing values: the {@link io.isoswitch.codec.cup.Tpdu} and the 6-byte
 * {@link io.isoswitch.codec.cup.CupHeader} that precede a {@code cup-pos} message, for framing
 * handlers and the switch to read and answer.
 */
package io.isoswitch.codec.cup;
