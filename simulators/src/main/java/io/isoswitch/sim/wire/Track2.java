package io.isoswitch.sim.wire;

import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;

/**
 * Track 2 equivalent data (field 35) as the simulators write it:
 * {@code PAN = YYMM service-code discretionary}. The simulators' discretionary data is the card's
 * 3-digit CVV followed by {@code 00000} (a real issuer derives it under its CVK; the simulated one
 * stores it). The separator is {@code =} on the wire in ASCII and {@code D} in BCD; both are read.
 *
 * @param pan           the PAN
 * @param expiry        the card's expiry
 * @param serviceCode   3 digits
 * @param discretionary whatever follows the service code
 */
public record Track2(String pan, YearMonth expiry, String serviceCode, String discretionary) {
    private static final DateTimeFormatter YYMM = DateTimeFormatter.ofPattern("uuMM", Locale.ROOT);

    public Track2 {
        Objects.requireNonNull(pan, "pan");
        Objects.requireNonNull(expiry, "expiry");
        Objects.requireNonNull(serviceCode, "serviceCode");
        Objects.requireNonNull(discretionary, "discretionary");
    }

    /** The simulators' track 2 of a card: CVV then zeros as discretionary data. */
    public static Track2 of(String pan, YearMonth expiry, String serviceCode, String cvv) {
        return new Track2(pan, expiry, serviceCode, cvv + "00000");
    }

    /** Parses field 35's characters. */
    public static Track2 parse(CharSequence field35) {
        String text = field35.toString().toUpperCase(Locale.ROOT);
        int separator = Math.max(text.indexOf('='), text.indexOf('D'));
        if (separator < 12 || text.length() < separator + 8) {
            throw new IllegalArgumentException("track 2: expected PAN, separator, YYMM and service code");
        }
        try {
            return new Track2(text.substring(0, separator),
                    YearMonth.parse(text.substring(separator + 1, separator + 5), YYMM),
                    text.substring(separator + 5, separator + 8), text.substring(separator + 8));
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("track 2: expiry is not YYMM", e);
        }
    }

    /** The first 3 digits of the discretionary data: the simulators' CVV (empty when too short). */
    public String cvv() {
        return discretionary.length() >= 3 ? discretionary.substring(0, 3) : "";
    }

    /** The field 35 characters with {@code separator} ('=' for ASCII dialects, 'D' for BCD ones). */
    public String format(char separator) {
        return pan + separator + expiry.format(YYMM) + serviceCode + discretionary;
    }

    @Override
    public String toString() {
        return "Track2[pan=" + io.isoswitch.sim.card.Pans.mask(pan) + ", expiry=****, serviceCode=***]";
    }
}
