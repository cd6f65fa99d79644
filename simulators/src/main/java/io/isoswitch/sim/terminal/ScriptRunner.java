package io.isoswitch.sim.terminal;

import io.isoswitch.sim.card.IssuedCard;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Plays a {@link TransactionScript} on a terminal, one step after the other, and reports each
 * step as a line for people (card data masked) and as a {@link StepOutcome} for programs.
 */
public final class ScriptRunner {
    /** Expiry given to a PAN that is not in the card file. */
    static final YearMonth UNKNOWN_CARD_EXPIRY = YearMonth.of(2030, 12);

    /**
     * What one step came to.
     *
     * @param step         the step
     * @param responseCode field 39 answered (empty when none)
     * @param asExpected   false only when the step named an {@code expect} that was not met
     * @param line         the line printed for it
     */
    public record StepOutcome(ScriptStep step, String responseCode, boolean asExpected, String line) {
    }

    private final PosTerminal terminal;
    private final List<IssuedCard> cards;

    public ScriptRunner(PosTerminal terminal, List<IssuedCard> cards) {
        this.terminal = Objects.requireNonNull(terminal, "terminal");
        this.cards = List.copyOf(cards);
    }

    /** Runs every step, printing one line each to {@code out}. */
    public List<StepOutcome> run(TransactionScript script, Consumer<String> out) {
        Map<String, TerminalResult> byLabel = new HashMap<>();
        List<StepOutcome> outcomes = new ArrayList<>();
        for (ScriptStep step : script.steps()) {
            if (step.currency() != 0 && step.currency() != terminal.config().currency()) {
                throw new IllegalArgumentException("step " + step.op() + ": currency " + step.currency()
                        + " is not the terminal's " + terminal.config().currency());
            }
            String code;
            String line;
            if (step.op() == TerminalOperation.SETTLE) {
                SettlementResult settled = terminal.settle();
                code = settled.responseCode();
                line = settled.describe();
            } else if (step.op() == TerminalOperation.DOWNLOAD_PARAMETERS) {
                if (!terminal.config().dialect().isCup()) {
                    throw new IllegalArgumentException("step download-params: only UnionPay (cup-pos) terminals download EMV parameters");
                }
                StartupDownload.Result loaded = terminal.downloadParameters();
                code = loaded.code();
                line = loaded.toString();
            } else {
                TerminalResult result = perform(step, byLabel);
                if (!step.label().isEmpty()) {
                    byLabel.put(step.label(), result);
                }
                code = result.responseCode();
                line = result.describe();
            }
            boolean asExpected = step.expect().isEmpty() || step.expect().equals(code);
            String shown = asExpected ? line : line + "   EXPECTED " + step.expect();
            out.accept(shown);
            outcomes.add(new StepOutcome(step, code, asExpected, shown));
        }
        return outcomes;
    }

    private TerminalResult perform(ScriptStep step, Map<String, TerminalResult> byLabel) {
        return switch (step.op()) {
            case SIGN_ON -> terminal.signOn();
            case ECHO -> terminal.echo();
            case SIGN_OFF -> terminal.signOff();
            case PURCHASE -> terminal.purchase(card(step), step.amountMinor());
            case REFUND -> step.of().isEmpty()
                    ? terminal.refund(card(step), step.amountMinor())
                    : terminal.refundOf(byLabel.get(step.of()), step.amountMinor());
            case PRE_AUTH -> terminal.preAuth(card(step), step.amountMinor());
            case BALANCE_INQUIRY -> terminal.balanceInquiry(card(step));
            case VOID -> terminal.voidOf(byLabel.get(step.of()));
            case PRE_AUTH_VOID -> terminal.preAuthVoid(byLabel.get(step.of()));
            case COMPLETION -> terminal.completion(byLabel.get(step.of()), step.amountMinor());
            case REVERSAL -> terminal.reverse(byLabel.get(step.of()));
            case SETTLE, DOWNLOAD_PARAMETERS -> throw new IllegalStateException(step.op() + " is run by run()");
        };
    }

    /** The card a step names: {@code #N} in the card file, or a PAN (from the file if there). */
    CardData card(ScriptStep step) {
        CardData card;
        int index = step.cardIndex();
        if (index > 0) {
            if (index > cards.size()) {
                throw new IllegalArgumentException("card: #" + index + " but the card file has " + cards.size() + " cards");
            }
            card = CardData.of(cards.get(index - 1));
        } else {
            card = cards.stream().filter(c -> c.account().pan().equals(step.card())).findFirst().map(CardData::of)
                    .orElseGet(() -> new CardData(step.card(), UNKNOWN_CARD_EXPIRY, "201", "000", ""));
        }
        if (step.pin().equals(ScriptStep.NO_PIN)) {
            return card.withPin("");
        }
        return step.pin().isEmpty() ? card : card.withPin(step.pin());
    }
}
