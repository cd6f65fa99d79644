package io.isoswitch.settlement.saf;

import io.isoswitch.settlement.Checks;
import java.util.Objects;

/**
 * A message to queue for an issuer, alongside the journal record it concerns (whose row supplies
 * the rest of the message: STAN, RRN, PAN ciphertext, original transmission time...).
 *
 * @param kind        reversal or advice
 * @param issuerId    the issuer to deliver to, in order with its other entries
 * @param messageType the MTI of the first attempt, e.g. "0400", "0420", "0220"
 * @param reasonCode  the reason (field 39 of a reversal, e.g. "68" response received too late),
 *                    or {@code null}
 * @param amountMinor the amount to reverse or advise (a partial reversal names less than the original)
 * @param currency    ISO 4217 numeric
 */
public record SafRequest(SafKind kind, String issuerId, String messageType, String reasonCode,
                         long amountMinor, String currency) {
    public SafRequest {
        Objects.requireNonNull(kind, "kind");
        Checks.identifier(issuerId, 32, "issuerId");
        Checks.digits(messageType, 4, "messageType");
        if (reasonCode != null) {
            Checks.text(reasonCode, 4, "reasonCode");
        }
        Checks.amount(amountMinor, "amountMinor");
        Checks.digits(currency, 3, "currency");
    }

    /** A reversal (0400) of the whole amount for {@code reasonCode}. */
    public static SafRequest reversal(String issuerId, String reasonCode, long amountMinor, String currency) {
        return new SafRequest(SafKind.REVERSAL, issuerId, "0400", reasonCode, amountMinor, currency);
    }

    /** An advice with message type {@code messageType} (0120 or 0220). */
    public static SafRequest advice(String issuerId, String messageType, long amountMinor, String currency) {
        return new SafRequest(SafKind.ADVICE, issuerId, messageType, null, amountMinor, currency);
    }
}
