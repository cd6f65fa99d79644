package io.isoswitch.sim.load;

import io.isoswitch.sim.terminal.TerminalOperation;
import java.util.Locale;

/** The requests the load generator mixes; each is independent of the others (no voids, no completions). */
public enum LoadOperation {
    /** A network echo (0800, code 301), without a MAC: also what a bare ISO 8583 server answers. */
    ECHO(TerminalOperation.ECHO),
    PURCHASE(TerminalOperation.PURCHASE),
    BALANCE(TerminalOperation.BALANCE_INQUIRY),
    PREAUTH(TerminalOperation.PRE_AUTH),
    REFUND(TerminalOperation.REFUND);

    private final TerminalOperation terminalOperation;

    LoadOperation(TerminalOperation terminalOperation) {
        this.terminalOperation = terminalOperation;
    }

    /** The terminal simulator's name for the same request. */
    public TerminalOperation terminalOperation() {
        return terminalOperation;
    }

    /** True for the card transactions that carry a MAC (and a PIN block unless a refund). */
    public boolean financial() {
        return this != ECHO;
    }

    /** The name used in {@code --mix}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The operation named {@code label} in a mix. */
    public static LoadOperation named(String label) {
        for (LoadOperation op : values()) {
            if (op.label().equals(label)) {
                return op;
            }
        }
        throw new IllegalArgumentException("mix: expected one of echo, purchase, balance, preauth, refund, found '"
                + label + "'");
    }
}
