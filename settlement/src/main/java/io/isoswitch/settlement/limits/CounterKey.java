package io.isoswitch.settlement.limits;

import io.isoswitch.settlement.Checks;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.Objects;

/**
 * One counter: who, which business day, which transaction type, which currency (amounts of
 * different currencies are never added).
 *
 * @param value a PAN token in hex (never a PAN), a terminal id or a merchant id
 */
public record CounterKey(CounterKind kind, String value, LocalDate businessDate, String transactionType,
                         String currency) {
    /** The order in which a transaction's counters are locked, the same everywhere, so nodes cannot deadlock. */
    static final Comparator<CounterKey> LOCK_ORDER = Comparator.comparing(CounterKey::kind)
            .thenComparing(CounterKey::value)
            .thenComparing(CounterKey::businessDate)
            .thenComparing(CounterKey::transactionType)
            .thenComparing(CounterKey::currency);

    public CounterKey {
        Objects.requireNonNull(kind, "kind");
        Checks.text(value, 128, "value");
        Objects.requireNonNull(businessDate, "businessDate");
        Checks.identifier(transactionType, 32, "transactionType");
        Checks.digits(currency, 3, "currency");
    }
}
