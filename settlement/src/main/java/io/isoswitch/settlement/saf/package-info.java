/**
 * Store-and-forward: reversals and advices queued for an issuer, delivered oldest first per issuer
 * (an entry only after the earlier ones concerning its record or the original it names), claimed by
 * exactly one consumer at a time, a window of them at once, and repeated until acknowledged.
 */
package io.isoswitch.settlement.saf;
