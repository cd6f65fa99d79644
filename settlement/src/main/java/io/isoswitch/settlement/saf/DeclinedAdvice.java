package io.isoswitch.settlement.saf;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * A journal record the switch approved on the issuer's behalf (stand-in, completion advice) whose
 * advice the issuer declined: the terminal was told 00, the issuer did not post it. No card data
 * beyond the masked PAN.
 *
 * @param responseCode the issuer's answer to the advice
 */
public record DeclinedAdvice(UUID journalId, LocalDate businessDate, String issuerId, String terminalId, String stan,
                             String switchRrn, String maskedPan, String transactionType, long amountMinor, String currency,
                             String responseCode, Instant declinedAt) {
}
