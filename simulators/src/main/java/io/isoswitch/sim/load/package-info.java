/**
 * The load generator: a fleet of simulated terminals on a few Netty event loops, many connections
 * each, driving a switch (or any ISO 8583 host) in closed loop or at a fixed rate, with latency
 * recorded in HdrHistograms (corrected for coordinated omission at a fixed rate) and a report.
 */
package io.isoswitch.sim.load;
