/**
 * Fault injection for the simulators: a {@link io.isoswitch.sim.fault.FaultPlan} says how a peer
 * misbehaves (latency, silence, late or duplicated answers, dropped connections, garbage,
 * refused sign-on), a {@link io.isoswitch.sim.fault.FaultInjector} draws each decision from a seeded
 * generator and counts every fault it injects, so tests can assert it happened.
 */
package io.isoswitch.sim.fault;
