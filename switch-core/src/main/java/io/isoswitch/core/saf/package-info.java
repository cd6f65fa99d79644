/**
 * Store-and-forward delivery: queued reversals and advices sent to issuers, a window of them in
 * flight per issuer, until acknowledged.
 */
package io.isoswitch.core.saf;
