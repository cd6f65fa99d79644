package io.isoswitch.sim.fault;

import java.time.Duration;
import java.util.Objects;

/**
 * What to do with one answer: the action, after waiting {@code delay}. The injector has already
 * counted the fault; whoever asked must carry it out.
 *
 * @param action what to do
 * @param delay  how long to wait first (zero for none; meaningless for {@link Action#NO_ANSWER})
 */
public record FaultDecision(Action action, Duration delay) {

    /** The actions, one per answer. */
    public enum Action {
        /** Send the answer. */
        ANSWER,
        /** Send nothing, ever. */
        NO_ANSWER,
        /** Send the answer, late. */
        LATE_ANSWER,
        /** Close the connection instead. */
        DROP_CONNECTION,
        /** Send {@link FaultInjector#garbage()} instead. */
        GARBAGE,
        /** Send {@link FaultInjector#damaged} of the answer instead. */
        DAMAGED,
        /** Send the answer twice. */
        DUPLICATE
    }

    public FaultDecision {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(delay, "delay");
    }

    /** Answer at once, as a well-behaved peer does. */
    public static FaultDecision answerNow() {
        return new FaultDecision(Action.ANSWER, Duration.ZERO);
    }
}
