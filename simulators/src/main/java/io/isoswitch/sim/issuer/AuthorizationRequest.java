package io.isoswitch.sim.issuer;

import io.isoswitch.sim.card.Pans;
import io.isoswitch.sim.ledger.RequestReference;
import java.time.YearMonth;
import java.util.Objects;

/**
 * A request as the issuer decides it, already taken off the wire and with the cryptography done:
 * the PIN and CVV arrive as check results, not as data.
 *
 * @param messageClass   0100, 0200, 0220, 0400 or 0420 family
 * @param processingCode field 3, six digits
 * @param amountMinor    field 4 in minor units of {@code currency} (0 for a balance inquiry)
 * @param currency       field 49, ISO 4217 numeric
 * @param pan            field 2 (may be empty on a reversal, which finds its original by field 90)
 * @param expiry         field 14, or {@code null} when absent
 * @param pin            outcome of the PIN verification
 * @param cvv            outcome of the CVV check
 * @param reference      acquirer, STAN, RRN and date of this request
 * @param original       field 90 for a reversal or completion, otherwise {@code null}
 */
public record AuthorizationRequest(
        MessageClass messageClass,
        String processingCode,
        long amountMinor,
        int currency,
        String pan,
        YearMonth expiry,
        PinCheck pin,
        CvvCheck cvv,
        RequestReference reference,
        OriginalData original) {

    public AuthorizationRequest {
        Objects.requireNonNull(messageClass, "messageClass");
        Objects.requireNonNull(processingCode, "processingCode");
        Objects.requireNonNull(pan, "pan");
        Objects.requireNonNull(pin, "pin");
        Objects.requireNonNull(cvv, "cvv");
        Objects.requireNonNull(reference, "reference");
        if (amountMinor < 0) {
            throw new IllegalArgumentException("amountMinor: expected >= 0, found " + amountMinor);
        }
    }

    /** A request without expiry, CVV, original data or PIN; the withers add them. */
    public static AuthorizationRequest of(MessageClass messageClass, String processingCode, long amountMinor,
            int currency, String pan, RequestReference reference) {
        return new AuthorizationRequest(messageClass, processingCode, amountMinor, currency, pan, null,
                PinCheck.NOT_PRESENT, CvvCheck.NOT_PRESENT, reference, null);
    }

    public AuthorizationRequest withPin(PinCheck newPin) {
        return new AuthorizationRequest(messageClass, processingCode, amountMinor, currency, pan, expiry, newPin, cvv,
                reference, original);
    }

    public AuthorizationRequest withCvv(CvvCheck newCvv) {
        return new AuthorizationRequest(messageClass, processingCode, amountMinor, currency, pan, expiry, pin, newCvv,
                reference, original);
    }

    public AuthorizationRequest withExpiry(YearMonth newExpiry) {
        return new AuthorizationRequest(messageClass, processingCode, amountMinor, currency, pan, newExpiry, pin, cvv,
                reference, original);
    }

    public AuthorizationRequest withOriginal(OriginalData newOriginal) {
        return new AuthorizationRequest(messageClass, processingCode, amountMinor, currency, pan, expiry, pin, cvv,
                reference, newOriginal);
    }

    @Override
    public String toString() {
        return "AuthorizationRequest[" + messageClass + ", processingCode=" + processingCode + ", amountMinor="
                + amountMinor + ", currency=" + currency + ", pan=" + Pans.mask(pan) + ", pin=" + pin + ", cvv="
                + cvv + ", reference=" + reference + ", original=" + original + "]";
    }
}
