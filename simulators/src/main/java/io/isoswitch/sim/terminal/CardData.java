package io.isoswitch.sim.terminal;

import io.isoswitch.sim.card.IssuedCard;
import io.isoswitch.sim.card.Pans;
import io.isoswitch.sim.wire.Track2;
import java.time.YearMonth;
import java.util.Objects;

/**
 * What a terminal reads from a card and the cardholder types: the magnetic stripe's track 2 and
 * the PIN. {@link #toString()} masks everything.
 *
 * @param pan         the PAN
 * @param expiry      expiry month
 * @param serviceCode 3 digits
 * @param cvv         the CVV in the stripe's discretionary data
 * @param pin         the PIN the cardholder enters, or empty for none
 */
public record CardData(String pan, YearMonth expiry, String serviceCode, String cvv, String pin) {

    public CardData {
        Objects.requireNonNull(pan, "pan");
        Objects.requireNonNull(expiry, "expiry");
        Objects.requireNonNull(serviceCode, "serviceCode");
        Objects.requireNonNull(cvv, "cvv");
        Objects.requireNonNull(pin, "pin");
    }

    /** The card of a card file, with the cardholder's PIN from the file. */
    public static CardData of(IssuedCard card) {
        return new CardData(card.account().pan(), card.account().expiry(), card.account().serviceCode(),
                card.account().cvv(), card.pin());
    }

    /** The same card with another PIN typed (empty for none). */
    public CardData withPin(String newPin) {
        return new CardData(pan, expiry, serviceCode, cvv, newPin);
    }

    /** Track 2 as the simulators write it. */
    public Track2 track2() {
        return Track2.of(pan, expiry, serviceCode, cvv);
    }

    /** The PAN masked. */
    public String maskedPan() {
        return Pans.mask(pan);
    }

    @Override
    public String toString() {
        return "CardData[pan=" + maskedPan() + ", pin=" + (pin.isEmpty() ? "none" : "****") + "]";
    }
}
