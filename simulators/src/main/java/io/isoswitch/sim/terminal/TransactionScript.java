package io.isoswitch.sim.terminal;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Reader;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * A sequence of terminal steps, written in YAML:
 *
 * <pre>
 * steps:
 *   - op: sign-on
 *   - {op: purchase, label: p1, card: "#1", amount: 1250, expect: "00"}
 *   - {op: void, of: p1, expect: "00"}
 *   - {op: purchase, card: "#2", amount: 999, pin: "0000", expect: "55"}
 *   - op: settle
 * </pre>
 *
 * Operations: sign-on, echo, purchase, void, refund, pre-auth, pre-auth-void, completion, balance,
 * reversal, settle, sign-off. Purchase, refund, pre-auth and balance name a {@code card}; purchase, refund, pre-auth
 * and completion an {@code amount}; void, pre-auth-void, completion and reversal an earlier step's {@code label} in
 * {@code of}. A refund may name the purchase it refunds in {@code of} instead of a card: it then carries that
 * purchase's RRN (field 37), which a switch needs to bound the refund (without it, a switch refusing refunds without
 * an original answers 25). Checked when read: a script that is wrong fails before its first step runs.
 *
 * @param steps the steps in order
 */
public record TransactionScript(@JsonProperty("steps") List<ScriptStep> steps) {

    private static final YAMLMapper MAPPER = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public TransactionScript {
        steps = steps == null ? List.of() : List.copyOf(steps);
        Set<String> labels = new HashSet<>();
        for (int i = 0; i < steps.size(); i++) {
            ScriptStep step = steps.get(i);
            String where = "step " + (i + 1) + " (" + step.op() + ")";
            // a refund names its card, or the purchase it refunds (of), whose card it takes
            boolean refundOfPurchase = step.op() == TerminalOperation.REFUND && !step.of().isEmpty();
            if (step.op().needsCard() && step.card().isEmpty() && !refundOfPurchase) {
                throw new IllegalArgumentException(where + ": card: missing");
            }
            if (refundOfPurchase && !step.card().isEmpty()) {
                throw new IllegalArgumentException(where + ": card: a refund of an earlier step takes its card, found '"
                        + step.card() + "'");
            }
            if (step.card().startsWith("#") && step.cardIndex() < 1) {
                throw new IllegalArgumentException(where + ": card: expected #N with N >= 1, found '"
                        + step.card() + "'");
            }
            if (step.op().needsAmount() && step.amountMinor() <= 0) {
                throw new IllegalArgumentException(where + ": amount: expected > 0, found " + step.amountMinor());
            }
            if ((step.op().needsOriginal() || refundOfPurchase) && !labels.contains(step.of())) {
                throw new IllegalArgumentException(where + ": of: expected the label of an earlier step, found '"
                        + step.of() + "'");
            }
            if (!step.label().isEmpty() && !labels.add(step.label())) {
                throw new IllegalArgumentException(where + ": label: '" + step.label() + "' is used twice");
            }
            if (step.currency() < 0 || step.currency() > 999) {
                throw new IllegalArgumentException(where + ": currency: expected 0..999, found " + step.currency());
            }
        }
    }

    /** Reads a script; the caller closes {@code in}. */
    public static TransactionScript read(Reader in) {
        try {
            return MAPPER.readValue(in, TransactionScript.class);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("terminal script: " + e.getOriginalMessage(), e);
        }
    }

    /** The step labelled {@code label}. */
    public ScriptStep step(String label) {
        return steps.stream().filter(s -> s.label().equals(label)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("label: no step '" + label + "'"));
    }
}
