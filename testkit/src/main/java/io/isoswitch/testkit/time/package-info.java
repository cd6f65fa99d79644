/** A clock tests move by hand, so that backoff, leases and open periods pass without waiting. */
package io.isoswitch.testkit.time;
