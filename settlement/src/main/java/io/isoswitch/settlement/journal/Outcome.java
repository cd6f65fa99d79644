package io.isoswitch.settlement.journal;

import io.isoswitch.settlement.Checks;
import java.util.Arrays;
import java.util.Objects;

/**
 * The answer to a transaction, kept so that a repeat is answered identically.
 *
 * @param state        APPROVED, DECLINED or STAND_IN_APPROVED
 * @param responseCode field 39
 * @param authCode     field 38, or {@code null}
 * @param responseData further answer data a repeat carries, or {@code null}; never a PIN block,
 *                     track, CVV or other card data. Today: the issuer's EMV tags 91, 71 and 72
 *                     (BER-TLV, as switch-core's {@code IccData.issuerTags} keeps them) for field 55
 */
public record Outcome(TransactionState state, String responseCode, String authCode, byte[] responseData) {
    public static final int MAX_RESPONSE_DATA_BYTES = 4_096;

    public Outcome {
        Objects.requireNonNull(state, "state");
        if (!state.isOutcome()) {
            throw new IllegalArgumentException("state: expected APPROVED, DECLINED or STAND_IN_APPROVED, found " + state);
        }
        Checks.text(responseCode, 2, "responseCode");
        if (responseCode.length() != 2) {
            throw new IllegalArgumentException("responseCode: expected 2 characters, found '" + responseCode + "'");
        }
        if (authCode != null) {
            Checks.text(authCode, 6, "authCode");
        }
        if (responseData != null && responseData.length > MAX_RESPONSE_DATA_BYTES) {
            throw new IllegalArgumentException("responseData: expected at most " + MAX_RESPONSE_DATA_BYTES
                    + " bytes, found " + responseData.length);
        }
        responseData = responseData == null ? null : responseData.clone();
    }

    public static Outcome approved(String authCode) {
        return new Outcome(TransactionState.APPROVED, "00", authCode, null);
    }

    public static Outcome declined(String responseCode) {
        return new Outcome(TransactionState.DECLINED, responseCode, null, null);
    }

    @Override
    public byte[] responseData() {
        return responseData == null ? null : responseData.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Outcome other && state == other.state && responseCode.equals(other.responseCode)
                && Objects.equals(authCode, other.authCode) && Arrays.equals(responseData, other.responseData);
    }

    @Override
    public int hashCode() {
        return Objects.hash(state, responseCode, authCode) * 31 + Arrays.hashCode(responseData);
    }

    @Override
    public String toString() {
        return "Outcome[" + state + ", rc=" + responseCode + ", auth=" + authCode
                + (responseData == null ? "" : ", " + responseData.length + " bytes of response data") + "]";
    }
}
