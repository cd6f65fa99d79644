package io.isoswitch.sim.issuer;

import io.isoswitch.sim.ledger.RequestReference;
import java.time.MonthDay;
import java.util.Objects;

/**
 * Which earlier request a reversal or a completion refers to, as field 90 carries it on the issuer
 * link: the original's message class, acquirer id, STAN and transmission date and time.
 *
 * @param messageClass class of the original request
 * @param acquirerId   original acquiring institution id (field 32 of the original)
 * @param stan         original STAN
 * @param date         original transmission date
 * @param time         original transmission time, hhmmss, or null where unknown
 */
public record OriginalData(MessageClass messageClass, String acquirerId, int stan, MonthDay date, String time) {

    public OriginalData {
        Objects.requireNonNull(messageClass, "messageClass");
        Objects.requireNonNull(acquirerId, "acquirerId");
        Objects.requireNonNull(date, "date");
    }

    public OriginalData(MessageClass messageClass, String acquirerId, int stan, MonthDay date) {
        this(messageClass, acquirerId, stan, date, null);
    }

    /** The original data that points at the request named by {@code reference}. */
    public static OriginalData of(MessageClass messageClass, RequestReference reference) {
        return new OriginalData(messageClass, reference.acquirerId(), reference.stan(), reference.date(), reference.time());
    }
}
