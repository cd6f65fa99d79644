package io.isoswitch.settlement.journal;

import io.isoswitch.settlement.Checks;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * The request as the switch sent it to the issuer: what a reversal needs to name the original
 * (field 90: original STAN and transmission time) and what a late answer is matched by.
 *
 * @param issuerId  the issuer the request was routed to
 * @param switchStan the STAN the switch assigned on that link (field 11 towards the issuer)
 * @param switchRrn  the retrieval reference number (field 37)
 * @param sentAt     the transmission date and time (field 7 towards the issuer)
 */
public record IssuerLeg(String issuerId, String switchStan, String switchRrn, Instant sentAt) {
    public IssuerLeg {
        Checks.identifier(issuerId, 32, "issuerId");
        Checks.digits(switchStan, 6, "switchStan");
        Checks.text(switchRrn, 12, "switchRrn");
        // The database keeps microseconds; truncating here keeps what was written equal to what is read.
        sentAt = Objects.requireNonNull(sentAt, "sentAt").truncatedTo(ChronoUnit.MICROS);
    }
}
