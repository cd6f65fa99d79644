package io.isoswitch.core.txn;

import io.isoswitch.settlement.fees.CardScheme;
import java.util.Optional;

/**
 * The card organisation a UnionPay POS answer names in field 63.1 (cup-pos.md 4.2): three letters
 * the terminal prints on the sales slip. Told from the PAN by the same table that prices fees
 * ({@link CardScheme}), so a slip and a merchant's fees never name two schemes for one card.
 */
public final class CardOrganisation {
    private CardOrganisation() {
    }

    /**
     * The organisation code of {@code pan}, or empty for a card of a scheme the dialect's codes do
     * not name (a wrong name on the slip is worse than none).
     */
    public static Optional<String> code(String pan) {
        return Optional.ofNullable(switch (CardScheme.of(pan)) {
            case CardScheme.UNIONPAY -> "CUP";
            case CardScheme.VISA -> "VIS";
            case CardScheme.MASTERCARD -> "MCC";
            case CardScheme.JCB -> "JCB";
            case CardScheme.AMEX -> "AEX";
            default -> null;
        });
    }
}
