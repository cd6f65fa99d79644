package io.isoswitch.settlement.batch;

import java.util.UUID;

/**
 * One difference found reconciling an upload.
 *
 * @param reason              why
 * @param stan                the transaction's STAN (field 11), or null for a count difference
 * @param journalId           the host's record, or null when the host has none
 * @param terminalAmountMinor what the terminal uploaded (or the count it declared), or null
 * @param hostAmountMinor     what the journal holds (or the lines received), or null
 * @param maskedPan           the card, masked, or null
 */
public record Difference(DifferenceReason reason, String stan, UUID journalId, Long terminalAmountMinor,
                         Long hostAmountMinor, String maskedPan) {
}
