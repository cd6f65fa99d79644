/**
 * JMH benchmarks of the iso-switch codec beside jPOS's GenericPackager on the same message, in
 * the same run (see bench/RESULTS-codec.md).
 */
package io.isoswitch.bench.codec;
