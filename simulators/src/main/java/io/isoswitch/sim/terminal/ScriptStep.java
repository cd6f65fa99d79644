package io.isoswitch.sim.terminal;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * One step of a terminal script.
 *
 * @param op          what to do
 * @param label       a name later steps use in {@code of} (optional)
 * @param card        {@code #N} for the N-th card of the card file (from 1), or a PAN (optional)
 * @param amountMinor amount in minor units (purchase, refund, pre-auth, completion)
 * @param currency    ISO 4217 numeric; 0 means the terminal's currency
 * @param pin         the PIN to enter; empty means the card file's PIN, {@code none} means no PIN
 * @param of          the label of the step a void, completion or reversal acts on, or the purchase a
 *                    refund names by its RRN (field 37; a refund without it names no original)
 * @param expect      the response code the step must get (optional)
 */
public record ScriptStep(
        @JsonProperty("op") TerminalOperation op,
        @JsonProperty("label") String label,
        @JsonProperty("card") String card,
        @JsonProperty("amount") long amountMinor,
        @JsonProperty("currency") int currency,
        @JsonProperty("pin") String pin,
        @JsonProperty("of") String of,
        @JsonProperty("expect") String expect) {

    /** The {@code pin} value that means: enter no PIN. */
    public static final String NO_PIN = "none";

    public ScriptStep {
        Objects.requireNonNull(op, "op");
        label = label == null ? "" : label.strip();
        card = card == null ? "" : card.strip();
        pin = pin == null ? "" : pin.strip();
        of = of == null ? "" : of.strip();
        expect = expect == null ? "" : expect.strip();
    }

    /** A step of {@code op} with nothing else set; the withers add the rest. */
    public static ScriptStep of(TerminalOperation op) {
        return new ScriptStep(op, "", "", 0, 0, "", "", "");
    }

    public ScriptStep withLabel(String newLabel) {
        return new ScriptStep(op, newLabel, card, amountMinor, currency, pin, of, expect);
    }

    public ScriptStep withCard(String newCard) {
        return new ScriptStep(op, label, newCard, amountMinor, currency, pin, of, expect);
    }

    public ScriptStep withAmount(long newAmountMinor) {
        return new ScriptStep(op, label, card, newAmountMinor, currency, pin, of, expect);
    }

    public ScriptStep withPin(String newPin) {
        return new ScriptStep(op, label, card, amountMinor, currency, newPin, of, expect);
    }

    public ScriptStep withOriginal(String originalLabel) {
        return new ScriptStep(op, label, card, amountMinor, currency, pin, originalLabel, expect);
    }

    public ScriptStep withExpect(String responseCode) {
        return new ScriptStep(op, label, card, amountMinor, currency, pin, of, responseCode);
    }

    /** The card index when {@code card} is {@code #N}, else 0. */
    public int cardIndex() {
        if (card.startsWith("#")) {
            try {
                return Integer.parseInt(card.substring(1));
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    @Override
    public String toString() {
        return "ScriptStep[op=" + op + ", label=" + label + ", card="
                + (card.startsWith("#") ? card : io.isoswitch.sim.card.Pans.mask(card)) + ", amountMinor="
                + amountMinor + ", currency=" + currency + ", pin=" + (pin.isEmpty() || pin.equals(NO_PIN) ? pin : "****")
                + ", of=" + of + ", expect=" + expect + "]";
    }
}
