/** Stand-in processing: deciding for an issuer that is down, within per-card allowances, with advices queued for its return. */
package io.isoswitch.core.standin;
