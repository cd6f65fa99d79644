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
 * @param iccData     EMV chip data (field 55) a reversal carries to its issuer, only tags that hold
 *                    no card data (the caller strips the rest: it is stored), or {@code null}
 * @param heldFor     how long the entry waits before it is first due unless released sooner (a void's
 *                    reversal, until its void's answer reached the terminal), or {@code null} for none
 */
public record SafRequest(SafKind kind, String issuerId, String messageType, String reasonCode,
                         long amountMinor, String currency, byte[] iccData, java.time.Duration heldFor) {
    /** Field 55 holds at most 999 bytes. */
    public static final int MAX_ICC_DATA_BYTES = 999;

    public SafRequest {
        Objects.requireNonNull(kind, "kind");
        Checks.identifier(issuerId, 32, "issuerId");
        Checks.digits(messageType, 4, "messageType");
        if (reasonCode != null) {
            Checks.text(reasonCode, 4, "reasonCode");
        }
        Checks.amount(amountMinor, "amountMinor");
        Checks.digits(currency, 3, "currency");
        if (iccData != null && (iccData.length == 0 || iccData.length > MAX_ICC_DATA_BYTES)) {
            throw new IllegalArgumentException("iccData: expected 1 to " + MAX_ICC_DATA_BYTES + " bytes, found " + iccData.length);
        }
        iccData = iccData == null ? null : iccData.clone();
        if (heldFor != null && (heldFor.isNegative() || heldFor.isZero())) {
            throw new IllegalArgumentException("heldFor: expected > 0 or none, found " + heldFor);
        }
    }

    /** A request due at once. */
    public SafRequest(SafKind kind, String issuerId, String messageType, String reasonCode, long amountMinor, String currency,
                      byte[] iccData) {
        this(kind, issuerId, messageType, reasonCode, amountMinor, currency, iccData, null);
    }

    /** This request held for {@code duration} unless released sooner ({@code VoidReversals#releaseHeld}). */
    public SafRequest held(java.time.Duration duration) {
        return new SafRequest(kind, issuerId, messageType, reasonCode, amountMinor, currency, iccData, duration);
    }

    /** A request without chip data. */
    public SafRequest(SafKind kind, String issuerId, String messageType, String reasonCode, long amountMinor, String currency) {
        this(kind, issuerId, messageType, reasonCode, amountMinor, currency, null);
    }

    /** A copy of the chip data, or null. */
    @Override
    public byte[] iccData() {
        return iccData == null ? null : iccData.clone();
    }

    /** Compares the chip data by content, as a record does every other component. */
    @Override
    public boolean equals(Object other) {
        return other instanceof SafRequest o && kind == o.kind && issuerId.equals(o.issuerId) && messageType.equals(o.messageType)
                && Objects.equals(reasonCode, o.reasonCode) && amountMinor == o.amountMinor && currency.equals(o.currency)
                && java.util.Arrays.equals(iccData, o.iccData) && Objects.equals(heldFor, o.heldFor);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, issuerId, messageType, reasonCode, amountMinor, currency, heldFor) * 31
                + java.util.Arrays.hashCode(iccData);
    }

    /** Says whether chip data is held, never its bytes. */
    @Override
    public String toString() {
        return "SafRequest[kind=" + kind + ", issuerId=" + issuerId + ", messageType=" + messageType + ", reasonCode=" + reasonCode
                + ", amountMinor=" + amountMinor + ", currency=" + currency + ", icc=" + (iccData != null)
                + (heldFor == null ? "" : ", heldFor=" + heldFor) + "]";
    }

    /** A reversal (0400) of the whole amount for {@code reasonCode}. */
    public static SafRequest reversal(String issuerId, String reasonCode, long amountMinor, String currency) {
        return new SafRequest(SafKind.REVERSAL, issuerId, "0400", reasonCode, amountMinor, currency);
    }

    /** A reversal (0400) carrying chip data, {@code iccData} already without card data (it is stored), or null. */
    public static SafRequest reversal(String issuerId, String reasonCode, long amountMinor, String currency, byte[] iccData) {
        return new SafRequest(SafKind.REVERSAL, issuerId, "0400", reasonCode, amountMinor, currency, iccData);
    }

    /** An advice with message type {@code messageType} (0120 or 0220). */
    public static SafRequest advice(String issuerId, String messageType, long amountMinor, String currency) {
        return new SafRequest(SafKind.ADVICE, issuerId, messageType, null, amountMinor, currency);
    }
}
