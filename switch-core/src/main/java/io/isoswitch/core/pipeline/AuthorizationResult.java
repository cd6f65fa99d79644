package io.isoswitch.core.pipeline;

import io.isoswitch.settlement.journal.JournalEntry;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

/**
 * An issuer's (or stand-in's, or the journal's for a repeat) answer to an {@link Authorization}.
 *
 * @param responseCode    field 39
 * @param added           fields for the terminal's answer: 37 RRN, 38 auth code, 54 balances...
 * @param issuer          the issuer id that decided, or {@code none}
 * @param transactionTime when the journal took the transaction, for the host's local time and date
 *                        a UnionPay answer carries (fields 12 and 13): the same instant for the
 *                        answer and for any repeat answered from the journal, so that both say the
 *                        same; {@code null} when nothing was journaled (the time of the answer then)
 * @param settlementDate  the business date the journal took the transaction on, which the answer
 *                        carries as its settlement date (field 15): the original's for a repeat
 *                        answered from the journal after the cutover; {@code null} when nothing
 *                        was journaled
 */
public record AuthorizationResult(String responseCode, Map<Integer, Object> added, String issuer, Instant transactionTime,
                                  LocalDate settlementDate, Runnable delivered) {
    public AuthorizationResult {
        added = Map.copyOf(added);
    }

    public AuthorizationResult(String responseCode, Map<Integer, Object> added, String issuer, Instant transactionTime,
                               LocalDate settlementDate) {
        this(responseCode, added, issuer, transactionTime, settlementDate, null);
    }

    public AuthorizationResult(String responseCode, Map<Integer, Object> added, String issuer) {
        this(responseCode, added, issuer, null, null);
    }

    /** This answer, with {@code delivered} run once it is written to its terminal's connection. */
    public AuthorizationResult whenDelivered(Runnable delivered) {
        return new AuthorizationResult(responseCode, added, issuer, transactionTime, settlementDate, delivered);
    }

    public static AuthorizationResult declined(String responseCode, String issuer) {
        return new AuthorizationResult(responseCode, Map.of(), issuer);
    }

    /** This answer for the transaction the journal holds as {@code journaled}: its time and its business date. */
    public AuthorizationResult of(JournalEntry journaled) {
        return new AuthorizationResult(responseCode, added, issuer, journaled.createdAt(), journaled.request().businessDate(), delivered);
    }

    /** This answer counted under {@code issuerId} where it names none: a 91 for an issuer the switch did not ask, being down. */
    public AuthorizationResult forIssuer(String issuerId) {
        return "none".equals(issuer) ? new AuthorizationResult(responseCode, added, issuerId, transactionTime, settlementDate, delivered)
                : this;
    }

    /** This answer for a transaction journaled on business date {@code businessDate}, at a time it does not name. */
    public AuthorizationResult settledOn(LocalDate businessDate) {
        return new AuthorizationResult(responseCode, added, issuer, transactionTime, businessDate, delivered);
    }
}
