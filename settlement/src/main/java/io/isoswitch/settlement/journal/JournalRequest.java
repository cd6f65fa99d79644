package io.isoswitch.settlement.journal;

import io.isoswitch.settlement.Checks;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;

/**
 * A transaction as the switch asks the journal to record it: the terminal's request in plain,
 * already-protected values. Its {@link #key()} is the idempotency key.
 *
 * @param nodeId          the switch node that handles it (crash recovery resolves its own node's records)
 * @param businessDate    the switch's business date (cutover), not the terminal's
 * @param terminalId      field 41
 * @param merchantId      field 42
 * @param stan            field 11 from the terminal
 * @param transactionDate the date part of the idempotency key (field 13, or field 7's date)
 * @param mti             the terminal's MTI, e.g. "0200" or its repeat "0201"
 * @param localTime       the terminal's local date and time (fields 12/13, or 7); no zone
 * @param transactionType the switch's name for it, e.g. PURCHASE, REFUND, BALANCE_INQUIRY
 * @param processingCode  field 3
 * @param amountMinor     field 4 in minor units
 * @param currency        ISO 4217 numeric, field 49
 * @param card            token, masked PAN and, where needed, ciphertext
 * @param issuer          where it was sent, or {@code null} when it was decided without an issuer
 * @param originalId      the journal record this one refers to (refund, void, completion), or {@code null}
 */
public record JournalRequest(
        String nodeId,
        LocalDate businessDate,
        String terminalId,
        String merchantId,
        String stan,
        LocalDate transactionDate,
        String mti,
        LocalDateTime localTime,
        String transactionType,
        String processingCode,
        long amountMinor,
        String currency,
        CardReference card,
        IssuerLeg issuer,
        UUID originalId) {

    public JournalRequest {
        Checks.identifier(nodeId, 64, "nodeId");
        Objects.requireNonNull(businessDate, "businessDate");
        Checks.text(terminalId, 16, "terminalId");
        Checks.text(merchantId, 32, "merchantId");
        Checks.digits(stan, 6, "stan");
        Objects.requireNonNull(transactionDate, "transactionDate");
        Checks.digits(mti, 4, "mti");
        localTime = Objects.requireNonNull(localTime, "localTime").truncatedTo(ChronoUnit.SECONDS);
        Checks.identifier(transactionType, 32, "transactionType");
        Checks.digits(processingCode, 6, "processingCode");
        Checks.amount(amountMinor, "amountMinor");
        Checks.digits(currency, 3, "currency");
        Objects.requireNonNull(card, "card");
    }

    /** The idempotency key: terminal, STAN, transaction date, MTI class. */
    public IdempotencyKey key() {
        return new IdempotencyKey(terminalId, stan, transactionDate, IdempotencyKey.mtiClassOf(mti));
    }

    /** This request referring to the journal record {@code original} (a reversal, refund or void of it). */
    public JournalRequest withOriginalId(UUID original) {
        return new JournalRequest(nodeId, businessDate, terminalId, merchantId, stan, transactionDate, mti,
                localTime, transactionType, processingCode, amountMinor, currency, card, issuer, original);
    }

    /** This request with {@code other} as its card (a reversal that named none takes its original's). */
    public JournalRequest withCard(CardReference other) {
        return new JournalRequest(nodeId, businessDate, terminalId, merchantId, stan, transactionDate, mti,
                localTime, transactionType, processingCode, amountMinor, currency, other, issuer, originalId);
    }

    /** This request on business date {@code date} (a late reversal takes its original's). */
    public JournalRequest withBusinessDate(LocalDate date) {
        return new JournalRequest(nodeId, date, terminalId, merchantId, stan, transactionDate, mti,
                localTime, transactionType, processingCode, amountMinor, currency, card, issuer, originalId);
    }

    /** This request journaled as {@code type} (a 1987 void naming a completion is a completion void). */
    public JournalRequest withTransactionType(String type) {
        return new JournalRequest(nodeId, businessDate, terminalId, merchantId, stan, transactionDate, mti,
                localTime, type, processingCode, amountMinor, currency, card, issuer, originalId);
    }

    /** This request routed to {@code leg}. */
    public JournalRequest withIssuer(IssuerLeg leg) {
        return new JournalRequest(nodeId, businessDate, terminalId, merchantId, stan, transactionDate, mti,
                localTime, transactionType, processingCode, amountMinor, currency, card, leg, originalId);
    }

    /** This request referring to the journal record {@code original} (a refund, void or completion). */
    public JournalRequest withOriginal(UUID original) {
        return new JournalRequest(nodeId, businessDate, terminalId, merchantId, stan, transactionDate, mti,
                localTime, transactionType, processingCode, amountMinor, currency, card, issuer, original);
    }
}
