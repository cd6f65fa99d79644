package io.isoswitch.settlement.batch;

import java.util.UUID;

/**
 * A transaction a void names, and whether its batch is closed (a closed batch's transactions are
 * settled and can no longer be voided, only refunded).
 *
 * @param journalId the original's journal record
 * @param closed    true when its terminal's batch holding it has closed
 */
public record OriginalStatus(UUID journalId, boolean closed) {
}
