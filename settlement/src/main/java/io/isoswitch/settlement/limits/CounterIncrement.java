package io.isoswitch.settlement.limits;

import io.isoswitch.settlement.Checks;
import java.util.Objects;

/** One transaction's share of one counter: a count of one and {@code amountMinor}, under {@code limit}. */
public record CounterIncrement(CounterKey key, long amountMinor, CounterLimit limit) {
    public CounterIncrement {
        Objects.requireNonNull(key, "key");
        Checks.amount(amountMinor, "amountMinor");
        Objects.requireNonNull(limit, "limit");
    }
}
