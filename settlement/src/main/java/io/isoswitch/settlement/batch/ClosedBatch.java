package io.isoswitch.settlement.batch;

import java.util.UUID;

/**
 * A closed batch in one currency.
 *
 * @param id          its id (the journal rows it closed carry it in {@code batch_id})
 * @param terminalId  the terminal
 * @param batchNumber the terminal's batch number
 * @param currency    ISO 4217 numeric
 * @param outcome     {@link BatchOutcome#BALANCED} or {@link BatchOutcome#CLOSED_AFTER_UPLOAD}
 * @param terminal    what the terminal's settlement claimed
 * @param host        the journal's totals, which the batch closed with
 */
public record ClosedBatch(UUID id, String terminalId, int batchNumber, String currency, BatchOutcome outcome,
                          BatchTotals terminal, BatchTotals host) {
}
