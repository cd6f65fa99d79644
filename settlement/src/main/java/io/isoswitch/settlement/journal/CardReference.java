package io.isoswitch.settlement.journal;

import io.isoswitch.settlement.Checks;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The card as the journal keeps it: already protected by the caller. Arrays are copied in and
 * out; {@link #toString()} shows only the masked PAN.
 *
 * @param panToken      HMAC-SHA256 token of the PAN (lookups and velocity)
 * @param maskedPan     first 6 and last 4 digits, '*' between
 * @param panCiphertext the PAN under AES-GCM (nonce and tag included), or {@code null} where
 *                      settlement does not need it
 * @param dataKeyId     the data key that encrypted it, or {@code null} with no ciphertext
 */
public record CardReference(byte[] panToken, String maskedPan, byte[] panCiphertext, String dataKeyId) {
    private static final int MAX_TOKEN_BYTES = 64;
    private static final String NO_PAN = "none";
    private static final byte[] NO_TOKEN = new byte[32];
    /**
     * The card of a request that names none (a reversal need not: it names its original by terminal,
     * STAN, date and amount): a token of zeros, which no PAN's HMAC is, and "none" for a masked PAN.
     */
    public static final CardReference NONE = new CardReference(NO_TOKEN, NO_PAN, null, null);

    public CardReference {
        Objects.requireNonNull(panToken, "panToken");
        if (panToken.length == 0 || panToken.length > MAX_TOKEN_BYTES) {
            throw new IllegalArgumentException(
                    "panToken: expected 1.." + MAX_TOKEN_BYTES + " bytes, found " + panToken.length);
        }
        Objects.requireNonNull(maskedPan, "maskedPan");
        if (!isMaskedPan(maskedPan) && !(NO_PAN.equals(maskedPan) && Arrays.equals(panToken, NO_TOKEN))) {
            // The value may be a clear PAN: never echo it.
            throw new IllegalArgumentException("maskedPan: expected first 6 digits, '*', last 4 digits");
        }
        if ((panCiphertext == null) != (dataKeyId == null)) {
            throw new IllegalArgumentException("panCiphertext and dataKeyId: give both or neither");
        }
        if (dataKeyId != null) {
            Checks.identifier(dataKeyId, 64, "dataKeyId");
        }
        panToken = panToken.clone();
        panCiphertext = panCiphertext == null ? null : panCiphertext.clone();
    }

    /** [0-9]{6}\*{2,9}[0-9]{4}, checked by hand (a regex Matcher per journal record showed in the profile). */
    private static boolean isMaskedPan(String masked) {
        int n = masked.length();
        if (n < 12 || n > 19) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = masked.charAt(i);
            boolean ok = i < 6 || i >= n - 4 ? c >= '0' && c <= '9' : c == '*';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** False for {@link #NONE}: the request named no card. */
    public boolean named() {
        return !NO_PAN.equals(maskedPan);
    }

    /** A card with token and masked PAN only. */
    public static CardReference tokenOnly(byte[] panToken, String maskedPan) {
        return new CardReference(panToken, maskedPan, null, null);
    }

    @Override
    public byte[] panToken() {
        return panToken.clone();
    }

    @Override
    public byte[] panCiphertext() {
        return panCiphertext == null ? null : panCiphertext.clone();
    }

    /** The token as lower-case hex, the form limit counters key cards by. */
    public String panTokenHex() {
        return HexFormat.of().formatHex(panToken);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CardReference other
                && Arrays.equals(panToken, other.panToken)
                && maskedPan.equals(other.maskedPan)
                && Arrays.equals(panCiphertext, other.panCiphertext)
                && Objects.equals(dataKeyId, other.dataKeyId);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(panToken) * 31 + maskedPan.hashCode();
    }

    @Override
    public String toString() {
        return "CardReference[" + maskedPan + (panCiphertext == null ? "" : ", encrypted under " + dataKeyId) + "]";
    }
}
