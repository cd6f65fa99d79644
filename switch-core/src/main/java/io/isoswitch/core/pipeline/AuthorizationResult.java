package io.isoswitch.core.pipeline;

import java.util.Map;

/**
 * An issuer's (or stand-in's, or the journal's for a repeat) answer to an {@link Authorization}.
 *
 * @param responseCode field 39
 * @param added        fields for the terminal's answer: 37 RRN, 38 auth code, 54 balances...
 * @param issuer       the issuer id that decided, or {@code none}
 */
public record AuthorizationResult(String responseCode, Map<Integer, Object> added, String issuer) {
    public AuthorizationResult {
        added = Map.copyOf(added);
    }

    public static AuthorizationResult declined(String responseCode, String issuer) {
        return new AuthorizationResult(responseCode, Map.of(), issuer);
    }
}
