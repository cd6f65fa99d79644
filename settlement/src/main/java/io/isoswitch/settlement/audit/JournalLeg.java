package io.isoswitch.settlement.audit;

import java.util.Objects;

/**
 * What the journal says about one request sent to an issuer.
 *
 * @param rrn             the switch's RRN (field 37 on the issuer link)
 * @param stan            the switch's STAN on the issuer link
 * @param transactionType the journal's transaction type
 * @param state           the journal's state name
 * @param amountMinor     the amount asked for
 * @param currency        ISO 4217 numeric, as journaled
 * @param adviceDeclined  the code the issuer declined this stand-in approval's advice with, or null
 */
public record JournalLeg(String rrn, String stan, String transactionType, String state, long amountMinor, String currency,
                         String adviceDeclined) {

    /** A leg whose advice (if any) the issuer did not decline. */
    public JournalLeg(String rrn, String stan, String transactionType, String state, long amountMinor, String currency) {
        this(rrn, stan, transactionType, state, amountMinor, currency, null);
    }

    public JournalLeg {
        Objects.requireNonNull(rrn, "rrn");
        Objects.requireNonNull(transactionType, "transactionType");
        Objects.requireNonNull(state, "state");
    }

    /**
     * True when the issuer should hold a standing booking under this RRN: approved (by the issuer
     * or in stand-in, whose advice books it), and neither a mere inquiry nor a void. A void never
     * reaches the issuer under its own RRN: it moves money as the reversal of its original, whose
     * own row (then REVERSED) is where the audit sees it.
     */
    public boolean expectsBooking() {
        return ("APPROVED".equals(state) || "STAND_IN_APPROVED".equals(state)) && !"BALANCE_INQUIRY".equals(transactionType)
                && !transactionType.endsWith("_VOID");
    }

    /** True when a reversal was asked for (queued or acknowledged). */
    public boolean reversalAsked() {
        return "REVERSAL_PENDING".equals(state) || "REVERSED".equals(state);
    }
}
