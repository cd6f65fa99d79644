package io.isoswitch.settlement.batch;

import java.util.Objects;

/**
 * One transaction as a terminal uploads it (0320, cup-pos.md 4.3): never the full PAN, only its
 * masked form and, when the switch can compute it, its HMAC token to compare with the journal's.
 *
 * @param stan        the transaction's trace number, six digits
 * @param cardFlag    {@code 00} domestic (CUP), {@code 01} foreign
 * @param maskedPan   first 6 and last 4
 * @param panToken    the PAN's HMAC token, or null
 * @param amountMinor the amount in minor units
 */
public record UploadLine(String stan, String cardFlag, String maskedPan, byte[] panToken, long amountMinor) {
    public UploadLine {
        Objects.requireNonNull(stan, "stan");
        if (stan.length() != 6 || !stan.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("stan: expected 6 digits, found '" + stan + "'");
        }
        Objects.requireNonNull(cardFlag, "cardFlag");
        Objects.requireNonNull(maskedPan, "maskedPan");
        if (amountMinor < 0) {
            throw new IllegalArgumentException("amountMinor: expected >= 0, found " + amountMinor);
        }
        panToken = panToken == null ? null : panToken.clone();
    }

    @Override
    public byte[] panToken() {
        return panToken == null ? null : panToken.clone();
    }

    /**
     * False only when this line's card is known to be another than the one {@code panToken} stands
     * for: a line without a token (the switch could not compute one) may be any card.
     */
    boolean mayBeCard(byte[] panToken) {
        return this.panToken == null || java.util.Arrays.equals(this.panToken, panToken);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UploadLine other && stan.equals(other.stan) && cardFlag.equals(other.cardFlag)
                && maskedPan.equals(other.maskedPan) && java.util.Arrays.equals(panToken, other.panToken)
                && amountMinor == other.amountMinor;
    }

    @Override
    public int hashCode() {
        return Objects.hash(stan, cardFlag, maskedPan, amountMinor) * 31 + java.util.Arrays.hashCode(panToken);
    }

    @Override
    public String toString() {
        return "UploadLine[stan=" + stan + ", card=" + maskedPan + ", amountMinor=" + amountMinor + "]";
    }
}
