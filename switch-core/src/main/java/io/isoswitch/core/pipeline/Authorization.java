package io.isoswitch.core.pipeline;

import io.isoswitch.core.session.TerminalSession;
import io.isoswitch.core.terminal.Merchant;
import io.isoswitch.core.terminal.Terminal;
import io.isoswitch.core.txn.TransactionType;

/**
 * A request that passed the switch's own checks (terminal, session, validation, MAC) and now needs
 * an issuer's decision. Everything is copied out of the request frame, so the stages that run off
 * the event loop (journal, issuer link) hold no reference to it. Holds card data: {@code toString}
 * masks it.
 *
 * @param type           the transaction
 * @param mti            the request MTI
 * @param terminal       the terminal
 * @param merchant       its merchant
 * @param session        the terminal's session (keys)
 * @param stan           field 11 as sent by the terminal
 * @param localDateTime  field 12+13 (MMDDhhmmss, from 13 and 12) or empty
 * @param processingCode field 3
 * @param pan            the PAN (field 2 or from track 2)
 * @param expiry         YYMM or null
 * @param amountMinor    field 4, or 0
 * @param currency       field 49 (ISO 4217 numeric), or null
 * @param pinBlock       field 52, or null without PIN
 * @param posEntryMode   field 22, or null
 * @param originalRrn    field 37 of a void/refund (the original's RRN), or null
 * @param originalAuth   field 38 of a completion or void (the original's auth code), or null
 * @param originalData   field 90 of an ISO reversal (original MTI, STAN, transmission time...), or null
 * @param reasonCode     field 39 of a reversal (why the terminal reverses), or null
 * @param originalInfo   field 61 of a UnionPay void, refund or completion (original batch n6, trace
 *                       n6, date MMDD n4...), or null
 * @param cupMessageCode field 60.1 of a UnionPay request (a reversal repeats its original's), or null
 * @param iccData        field 55 (EMV chip data, BER-TLV already checked) as the terminal sent it,
 *                       forwarded to the issuer byte for byte; may hold card data (5A, 57), so it
 *                       is never logged or journaled; null without it
 * @param track2         field 35 as the card has it (a UnionPay track the terminal enciphered under
 *                       its TDK is deciphered), forwarded to the issuer in its requests so that it
 *                       can check the stripe (CVV, service code); card data: never logged, journaled
 *                       or queued; null without it
 * @param pinWithoutPan  the PIN block was formed without the PAN (UnionPay 53.1 = 1, ANSI X9.8
 *                       without PAN): format 0 over a PAN of zeros, re-formed with the PAN for the issuer
 */
public record Authorization(
        TransactionType type,
        String mti,
        Terminal terminal,
        Merchant merchant,
        TerminalSession session,
        String stan,
        String localDateTime,
        String processingCode,
        String pan,
        String expiry,
        long amountMinor,
        String currency,
        byte[] pinBlock,
        String posEntryMode,
        String originalRrn,
        String originalAuth,
        String originalData,
        String reasonCode,
        String originalInfo,
        String cupMessageCode,
        byte[] iccData,
        String track2,
        boolean pinWithoutPan) {

    /** The PAN as first 6 and last 4. */
    public String maskedPan() {
        return pan == null || pan.length() < 10 ? "none"
                : pan.substring(0, 6) + "*".repeat(pan.length() - 10) + pan.substring(pan.length() - 4);
    }

    @Override
    public String toString() {
        return "Authorization[type=" + type + ", terminal=" + terminal.id() + ", stan=" + stan + ", pan=" + maskedPan()
                + ", amountMinor=" + amountMinor + ", currency=" + currency + ", pin=" + (pinBlock != null) + ", icc=" + (iccData != null)
                + ", track2=" + (track2 != null) + "]";
    }
}
