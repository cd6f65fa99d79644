package io.isoswitch.settlement.audit;

import java.util.Locale;
import java.util.Objects;

/**
 * One booking an issuer reports: what moved on which request (named by the switch's RRN, field
 * 37, which the switch also puts on every reversal of that request).
 *
 * @param id          the entry's id in the issuer's file, unique within it
 * @param kind        what it did to the account
 * @param amountMinor positive, minor units of {@code currency}
 * @param currency    ISO 4217 numeric
 * @param rrn         the switch's retrieval reference number
 * @param stan        the switch's STAN on the issuer link (for people; not matched on)
 * @param reverses    the id of the entry this one reverses, or 0
 * @param hold        for a release or capture, the id of the hold it draws on; otherwise 0
 */
public record ClearingEntry(long id, Kind kind, long amountMinor, int currency, String rrn, String stan, long reverses,
                            long hold) {

    /** An entry that draws on no hold. */
    public ClearingEntry(long id, Kind kind, long amountMinor, int currency, String rrn, String stan, long reverses) {
        this(id, kind, amountMinor, currency, rrn, stan, reverses, 0);
    }

    /** What an entry does; a reversal is any kind with {@code reverses} set. */
    public enum Kind {
        DEBIT, CREDIT, HOLD, RELEASE, CAPTURE;

        static Kind parse(String text) {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        }
    }

    public ClearingEntry {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(rrn, "rrn");
        if (amountMinor <= 0) {
            throw new IllegalArgumentException("amountMinor: expected > 0, found " + amountMinor);
        }
        if (reverses < 0) {
            throw new IllegalArgumentException("reverses: expected >= 0, found " + reverses);
        }
        if (hold < 0) {
            throw new IllegalArgumentException("hold: expected >= 0, found " + hold);
        }
    }

    /** True for an entry that undoes another. */
    public boolean isReversal() {
        return reverses != 0;
    }

    /**
     * True for an entry a request booked in its own right: not a reversal, and not the release
     * that a capture books beside itself.
     */
    public boolean isBooking() {
        return !isReversal() && kind != Kind.RELEASE;
    }
}
