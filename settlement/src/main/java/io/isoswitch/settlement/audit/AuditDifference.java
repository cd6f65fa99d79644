package io.isoswitch.settlement.audit;

import java.util.Objects;

/**
 * One disagreement between the journal and an issuer's books. Names the request by issuer and
 * RRN (and the switch's STAN when the journal has it); never carries card data.
 *
 * @param kind     what disagrees
 * @param issuerId the issuer
 * @param rrn      the switch's RRN
 * @param stan     the switch's STAN on the issuer link, or empty
 * @param detail   the two sides' values, for people
 */
public record AuditDifference(Kind kind, String issuerId, String rrn, String stan, String detail) {

    /** The ways the two sides can disagree. */
    public enum Kind {
        /** The journal says approved; the issuer booked nothing. */
        APPROVED_NOT_BOOKED,
        /**
         * A stand-in approval the issuer booked nothing of because it declined its advice: the
         * merchant is paid a sale the issuer does not owe (docs/transactions.md, "When the issuer
         * declines an advice"), for operations to settle with the issuer by hand.
         */
        ADVICE_DECLINED,
        /** The journal says approved; the issuer booked it and reversed it. */
        APPROVED_BUT_REVERSED,
        /** The issuer booked it; the journal says it was not approved (declined, timed out, in flight). */
        BOOKED_NOT_APPROVED,
        /** The journal says reversed (or reversal queued); the issuer's booking stands. */
        REVERSAL_NOT_DELIVERED,
        /** The issuer booked one request more than once. */
        BOOKED_TWICE,
        /** Both booked it, for different amounts or currencies. */
        AMOUNT_DIFFERS,
        /** The issuer booked a request the journal does not know. */
        NOT_IN_JOURNAL
    }

    public AuditDifference {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(issuerId, "issuerId");
        Objects.requireNonNull(rrn, "rrn");
        stan = stan == null ? "" : stan;
        detail = detail == null ? "" : detail;
    }

    /** One line for a report: {@code KIND issuer rrn stan detail}. */
    public String describe() {
        return kind + " issuer=" + issuerId + " rrn=" + rrn + (stan.isEmpty() ? "" : " stan=" + stan) + " " + detail;
    }
}
