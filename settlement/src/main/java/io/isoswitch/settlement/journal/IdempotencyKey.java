package io.isoswitch.settlement.journal;

import io.isoswitch.settlement.Checks;
import java.time.LocalDate;
import java.util.Objects;

/**
 * What makes two requests "the same" for the switch: terminal, STAN, transaction date and MTI
 * class. The database holds it as a unique key, so a repeat is caught across nodes.
 *
 * @param mtiClass the first three digits of the MTI (version, class, function): "020" for 0200
 *                 and its repeat 0201, "040" for 0400 and 0401
 */
public record IdempotencyKey(String terminalId, String stan, LocalDate transactionDate, String mtiClass) {
    public IdempotencyKey {
        Checks.text(terminalId, 16, "terminalId");
        Checks.digits(stan, 6, "stan");
        Objects.requireNonNull(transactionDate, "transactionDate");
        Checks.digits(mtiClass, 3, "mtiClass");
    }

    /** The MTI class of a four-digit MTI: its last digit (origin, e.g. repeat) dropped. */
    public static String mtiClassOf(String mti) {
        return Checks.digits(mti, 4, "mti").substring(0, 3);
    }
}
