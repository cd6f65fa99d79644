/**
 * Store-and-forward: reversals and advices queued for an issuer, delivered in order per issuer,
 * claimed by exactly one consumer at a time and repeated until acknowledged.
 */
package io.isoswitch.settlement.saf;
