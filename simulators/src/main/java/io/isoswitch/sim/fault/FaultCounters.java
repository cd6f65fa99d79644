package io.isoswitch.sim.fault;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** How many faults of each kind were injected; thread-safe, never reset. */
public final class FaultCounters {
    private final Map<FaultKind, LongAdder> counts = new EnumMap<>(FaultKind.class);
    private final LongAdder decisions = new LongAdder();

    public FaultCounters() {
        for (FaultKind kind : FaultKind.values()) {
            counts.put(kind, new LongAdder());
        }
    }

    void record(FaultKind kind) {
        counts.get(kind).increment();
    }

    void recordDecision() {
        decisions.increment();
    }

    /** Faults of {@code kind} injected so far. */
    public long count(FaultKind kind) {
        return counts.get(kind).sum();
    }

    /** Answers decided so far, faulty or not. */
    public long decisions() {
        return decisions.sum();
    }

    /** Every kind with its count. */
    public Map<FaultKind, Long> snapshot() {
        Map<FaultKind, Long> copy = new EnumMap<>(FaultKind.class);
        counts.forEach((kind, count) -> copy.put(kind, count.sum()));
        return copy;
    }

    @Override
    public String toString() {
        return "FaultCounters" + snapshot() + " of " + decisions() + " decisions";
    }
}
