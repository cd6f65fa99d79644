package io.isoswitch.sim.card;

import java.util.Objects;

/**
 * A card as a card file holds it: the issuer's {@link CardAccount} plus, for simulated cardholders
 * only, the clear PIN that terminals enter. The issuer never reads the PIN; it verifies against the
 * PVV or offset. An empty PIN means the file does not say.
 *
 * @param account the issuer's view of the card
 * @param pin     the cardholder's PIN (4 to 12 digits), or empty
 */
public record IssuedCard(CardAccount account, String pin) {

    public IssuedCard {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(pin, "pin");
        if (!pin.isEmpty() && (pin.length() < 4 || pin.length() > 12 || !Digits.isDigits(pin))) {
            throw new IllegalArgumentException("pin: expected 4..12 digits or nothing, found " + pin.length()
                    + " characters");
        }
    }

    /** True when the file gave the cardholder's PIN. */
    public boolean hasPin() {
        return !pin.isEmpty();
    }

    @Override
    public String toString() {
        return "IssuedCard[" + account + ", pin=" + (pin.isEmpty() ? "none" : "****") + "]";
    }
}
