package io.isoswitch.sim.ledger;

import java.time.MonthDay;
import java.util.Objects;

/**
 * Names the request an entry came from, as the issuer link carries it: the acquiring institution
 * (field 32), the switch's STAN (field 11), the retrieval reference number (field 37) and the
 * transmission date and time (field 7). Acquirer, STAN and transmission date and time identify a
 * request, as field 90 names an original by them: six-digit STANs come round within a day once an
 * acquirer sends an issuer a million requests, the transmission time tells those apart. The RRN
 * is kept for audit.
 *
 * @param acquirerId acquiring institution id, 1 to 11 digits
 * @param stan       system trace audit number, 0 to 999999
 * @param rrn        retrieval reference number, up to 12 characters (may be empty)
 * @param date       transmission date
 * @param time       transmission time, hhmmss, or null where the request carried none (then date alone)
 */
public record RequestReference(String acquirerId, int stan, String rrn, MonthDay date, String time) {

    public RequestReference {
        Objects.requireNonNull(acquirerId, "acquirerId");
        if (acquirerId.isEmpty() || acquirerId.length() > 11 || !acquirerId.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("acquirerId: expected 1..11 digits, found '" + acquirerId + "'");
        }
        if (stan < 0 || stan > 999_999) {
            throw new IllegalArgumentException("stan: expected 0..999999, found " + stan);
        }
        Objects.requireNonNull(rrn, "rrn");
        if (rrn.length() > 12) {
            throw new IllegalArgumentException("rrn: expected at most 12 characters, found " + rrn.length());
        }
        Objects.requireNonNull(date, "date");
        if (time != null && (time.length() != 6 || !time.chars().allMatch(c -> c >= '0' && c <= '9'))) {
            throw new IllegalArgumentException("time: expected hhmmss, found '" + time + "'");
        }
    }

    /** A reference whose request carried no transmission time. */
    public RequestReference(String acquirerId, int stan, String rrn, MonthDay date) {
        this(acquirerId, stan, rrn, date, null);
    }
}
