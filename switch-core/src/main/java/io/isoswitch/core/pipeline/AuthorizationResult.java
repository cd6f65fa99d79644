package io.isoswitch.core.pipeline;

import java.time.Instant;
import java.util.Map;

/**
 * An issuer's (or stand-in's, or the journal's for a repeat) answer to an {@link Authorization}.
 *
 * @param responseCode    field 39
 * @param added           fields for the terminal's answer: 37 RRN, 38 auth code, 54 balances...
 * @param issuer          the issuer id that decided, or {@code none}
 * @param transactionTime when the journal took the transaction, for the host's local time and date
 *                        a UnionPay answer carries (fields 12 and 13): the same instant for the
 *                        answer and for any repeat answered from the journal, so that both say the
 *                        same; {@code null} when nothing was journaled (the time of the answer then)
 */
public record AuthorizationResult(String responseCode, Map<Integer, Object> added, String issuer, Instant transactionTime) {
    public AuthorizationResult {
        added = Map.copyOf(added);
    }

    public AuthorizationResult(String responseCode, Map<Integer, Object> added, String issuer) {
        this(responseCode, added, issuer, null);
    }

    public static AuthorizationResult declined(String responseCode, String issuer) {
        return new AuthorizationResult(responseCode, Map.of(), issuer);
    }

    /** This answer for the transaction the journal took at {@code journaledAt}. */
    public AuthorizationResult at(Instant journaledAt) {
        return new AuthorizationResult(responseCode, added, issuer, journaledAt);
    }
}
