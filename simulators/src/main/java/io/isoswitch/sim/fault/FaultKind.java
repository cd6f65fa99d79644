package io.isoswitch.sim.fault;

/** The faults a simulator can inject, each counted separately. */
public enum FaultKind {
    /** An answer delayed by the latency model (counted when the delay is above zero). */
    LATENCY,
    /** A request never answered. */
    NO_ANSWER,
    /** An answer sent after the late-answer delay (meant to be past the switch's timeout). */
    LATE_ANSWER,
    /** The connection closed instead of answering. */
    DROPPED_CONNECTION,
    /** Random bytes written instead of the answer. */
    GARBAGE,
    /** The answer sent with its bytes damaged ({@link ByteDamage}). */
    DAMAGED_ANSWER,
    /** The answer sent twice. */
    DUPLICATE_ANSWER,
    /** A sign-on answered with a refusal. */
    REFUSED_SIGN_ON
}
