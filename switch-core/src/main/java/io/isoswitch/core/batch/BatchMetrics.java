package io.isoswitch.core.batch;

import io.isoswitch.settlement.batch.BatchOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * Batch closes by outcome ({@code balanced}, {@code out_of_balance}, {@code closed_after_upload};
 * repeats are not counted again) and settlement or upload requests refused, by reason.
 */
public final class BatchMetrics {
    public static final String CLOSES = "switch.batch.closes";
    public static final String REFUSED = "switch.batch.refused";

    /** Why a settlement or upload was refused. */
    public enum Refusal {
        /** A field did not read (answered 30). */
        FORMAT,
        /** An upload no out-of-balance settlement awaited (answered 12). */
        NOT_EXPECTED,
        /** The database failed (answered 96). */
        DATABASE,
        /** A void of a transaction in a closed batch (answered 12). */
        VOID_AFTER_CLOSE,
        /** A settlement naming a batch closed before, with other totals (UnionPay 77, ISO 1987 12). */
        BATCH_NUMBER
    }

    private final Map<BatchOutcome, Counter> closes = new EnumMap<>(BatchOutcome.class);
    private final Map<Refusal, Counter> refusals = new EnumMap<>(Refusal.class);

    public BatchMetrics(MeterRegistry registry) {
        for (BatchOutcome outcome : BatchOutcome.values()) {
            closes.put(outcome, Counter.builder(CLOSES).description("Terminal batch settlements, by outcome")
                    .tag("outcome", outcome.tag()).register(registry));
        }
        for (Refusal refusal : Refusal.values()) {
            refusals.put(refusal, Counter.builder(REFUSED).description("Settlements, uploads and voids refused, by reason")
                    .tag("reason", refusal.name().toLowerCase(java.util.Locale.ROOT)).register(registry));
        }
    }

    void settled(BatchOutcome outcome) {
        closes.get(outcome).increment();
    }

    /** A request refused for {@code refusal}. */
    public void refused(Refusal refusal) {
        refusals.get(refusal).increment();
    }
}
