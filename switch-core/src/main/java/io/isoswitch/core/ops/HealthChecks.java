package io.isoswitch.core.ops;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * What {@code /ready} asks: named checks (listeners bound, journal reachable, at least one issuer
 * link up...) registered by the parts of the switch that own them. Each check must answer without
 * blocking: it reads state the owner keeps current, it does not probe.
 */
public final class HealthChecks {
    private final Map<String, BooleanSupplier> checks = new ConcurrentHashMap<>();

    public void register(String name, BooleanSupplier check) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a health check needs a name");
        }
        checks.put(name, java.util.Objects.requireNonNull(check, "check"));
    }

    /** Every check's answer, in name order. */
    public Map<String, Boolean> evaluate() {
        Map<String, Boolean> results = new LinkedHashMap<>();
        checks.keySet().stream().sorted().forEach(name -> results.put(name, safely(checks.get(name))));
        return results;
    }

    private static boolean safely(BooleanSupplier check) {
        try {
            return check.getAsBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
