package io.isoswitch.core.pipeline;

import io.isoswitch.core.issuer.RequestWriter;
import io.isoswitch.core.txn.IccData;
import io.isoswitch.core.txn.TransactionType;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Builds the request the switch sends an issuer for an {@link Authorization}, in the issuer link's
 * dialect: the card, amounts and terminal data copied from the terminal's request, the switch's
 * own STAN (field 11), transmission time (7), RRN (37) and institution ids (32, 33), and the PIN
 * block re-encrypted under the issuer's ZPK (52), the card's track 2 (35, deciphered where the
 * terminal enciphered it; requests only, never advices or reversals) and the terminal's EMV chip
 * data (55) byte for byte. Fields are written in ascending order.
 */
final class IssuerRequests {

    private final RrnGenerator rrns;
    private final Clock clock;

    IssuerRequests(RrnGenerator rrns, Clock clock) {
        this.rrns = rrns;
        this.clock = clock;
    }

    /**
     * A request ready to send.
     *
     * @param mti    the issuer-side MTI
     * @param rrn    field 37
     * @param sentAt field 7's instant
     * @param writer writes the fields
     */
    record Prepared(String mti, String rrn, Instant sentAt, RequestWriter writer) {
    }

    /** Re-encrypts the PIN block for the connection's zone keys (chosen when the request is sent). */
    @FunctionalInterface
    interface PinTranslator {
        byte[] translate(byte[] terminalPinBlock, io.isoswitch.core.issuer.WorkingKeys keys);
    }

    /**
     * Field 90 naming an original as the issuer saw it: its MTI, the switch's STAN on the link, its
     * transmission date-time (field 7), the acquiring institution and the forwarding institution
     * (field 33; zeros when the link sends none).
     */
    static String originalData(String originalMti, io.isoswitch.settlement.journal.IssuerLeg leg, String acquiringInstitutionId,
                               String forwardingInstitutionId) {
        return originalMti + leg.switchStan() + transmission(leg.sentAt()) + pad11(acquiringInstitutionId)
                + pad11(forwardingInstitutionId == null ? "0" : forwardingInstitutionId);
    }

    /**
     * Field 7, MMddHHmmss in UTC, by hand: DateTimeFormatter built a print context per request
     * (about 1% of the card path's samples).
     */
    static String transmission(Instant instant) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
        char[] digits = new char[10];
        twoDigits(digits, 0, t.getMonthValue());
        twoDigits(digits, 2, t.getDayOfMonth());
        twoDigits(digits, 4, t.getHour());
        twoDigits(digits, 6, t.getMinute());
        twoDigits(digits, 8, t.getSecond());
        return new String(digits);
    }

    private static void twoDigits(char[] into, int at, int value) {
        into[at] = (char) ('0' + value / 10);
        into[at + 1] = (char) ('0' + value % 10);
    }

    private static String pad11(String digits) {
        return "0".repeat(Math.max(0, 11 - digits.length())) + digits;
    }

    /** Whether the request to the issuer carries field 4 (a balance inquiry without an amount does not). */
    static boolean sendsAmount(Authorization a) {
        return a.type() != TransactionType.BALANCE_INQUIRY || a.amountMinor() > 0;
    }

    /** Field 49 of the request to the issuer: the terminal's, else its merchant's currency. */
    static String currency(Authorization a) {
        return a.currency() == null ? a.merchant().currency() : a.currency();
    }

    /**
     * Whether a request with this issuer-side MTI forwards the card's track 2: an authorization or
     * financial request (0100, 0200) does, so that the issuer checks the stripe (its CVV, service
     * code) as it would at its own terminals; an advice (0220) or a reversal (0400) does not, as ISO
     * 8583 has them name a transaction the card was already read for. A track is card data: it is
     * never journaled, so what the switch sends again later (stand-in advices, reversals, repeats)
     * could not carry it anyway.
     */
    static boolean carriesTrack(String issuerMti) {
        return issuerMti.equals("0100") || issuerMti.equals("0200");
    }

    /**
     * @param original the original, for a completion (field 90 names the pre-authorization it
     *                 captures as the issuer saw it), or null
     */
    Prepared prepare(Authorization a, io.isoswitch.settlement.journal.JournalEntry original, PinTranslator pins) {
        Instant now = clock.instant();
        String rrn = rrns.next();
        String mti = IssuerCodes.mti(a.type());
        String transmission = transmission(now);
        RequestWriter writer = (w, s) -> {
            if (a.pan() != null) {
                w.field(2, a.pan());
            }
            w.field(3, IssuerCodes.processingCode(a.type(), a.processingCode()));
            if (sendsAmount(a)) {
                w.field(4, a.amountMinor());
            }
            w.field(7, transmission);
            w.field(11, s.stan());
            if (a.localDateTime().length() == 10) {
                w.field(12, a.localDateTime().substring(4));
                w.field(13, a.localDateTime().substring(0, 4));
            }
            if (a.expiry() != null) {
                w.field(14, a.expiry());
            }
            if (a.posEntryMode() != null) {
                w.field(22, a.posEntryMode());
            }
            w.field(32, s.acquiringInstitutionId());
            if (s.forwardingInstitutionId() != null) {
                w.field(33, s.forwardingInstitutionId());
            }
            if (a.track2() != null && carriesTrack(mti)) {
                w.field(35, a.track2());
            }
            w.field(37, rrn);
            if (a.originalAuth() != null) {
                w.field(38, a.originalAuth());
            }
            w.field(41, a.terminal().id());
            w.field(42, a.merchant().id());
            w.field(49, currency(a));
            if (a.pinBlock() != null) {
                w.bytes(52, pins.translate(a.pinBlock(), s.keys()));
            }
            if (a.iccData() != null && IccData.binary(w.spec().field(IccData.FIELD))) {
                // the terminal's chip data byte for byte: the issuer checks the ARQC over it
                w.bytes(IccData.FIELD, a.iccData());
            }
            if (original != null && original.request().issuer() != null && a.type() == TransactionType.PREAUTH_COMPLETION) {
                w.field(90, originalData(IssuerCodes.knownAs(original), original.request().issuer(), s.acquiringInstitutionId(),
                        s.forwardingInstitutionId()));
            }
        };
        return new Prepared(mti, rrn, now, writer);
    }
}
