/**
 * JMH benchmarks of the software HSM's hot path (X9.19 MAC verification, TPK-to-ZPK PIN
 * translation) beside jPOS's JCESecurityModule doing the same work in the same run.
 */
package io.isoswitch.bench.security;
