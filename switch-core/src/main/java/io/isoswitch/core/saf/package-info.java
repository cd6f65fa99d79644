/** Store-and-forward delivery: queued reversals and advices sent to issuers in order until acknowledged. */
package io.isoswitch.core.saf;
