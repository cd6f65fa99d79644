/**
 * Test kit for switch-core: terminal-side clients of every dialect, the issuer simulator and a
 * whole node over real TCP on H2 or PostgreSQL, and a reader of the journal table.
 */
package io.isoswitch.core.testing;
