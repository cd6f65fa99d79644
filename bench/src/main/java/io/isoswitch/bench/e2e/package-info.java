/**
 * End-to-end benchmarks: the jPOS yardstick server that {@code bench/run-e2e.sh} starts beside the
 * switch, so that one load generator drives both with the same messages in the same run.
 */
package io.isoswitch.bench.e2e;
