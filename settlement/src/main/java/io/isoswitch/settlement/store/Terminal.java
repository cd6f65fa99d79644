package io.isoswitch.settlement.store;

import io.isoswitch.settlement.Checks;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A terminal: its merchant, the dialect it speaks, its master key and what it may do.
 * {@link #toString()} never shows the key block.
 *
 * @param terminalId              field 41
 * @param dialect                 e.g. iso87binary, iso87ascii, cup-pos
 * @param tmkKeyBlock             the terminal master key under the local master key (a key block
 *                                string, never a clear key)
 * @param allowedTransactionTypes e.g. PURCHASE, REFUND, BALANCE_INQUIRY
 */
public record Terminal(String terminalId, String merchantId, String dialect, String tmkKeyBlock,
                       Set<String> allowedTransactionTypes, TerminalStatus status) {
    public Terminal {
        Checks.text(terminalId, 16, "terminalId");
        Checks.text(merchantId, 32, "merchantId");
        Checks.identifier(dialect, 32, "dialect");
        Objects.requireNonNull(tmkKeyBlock, "tmkKeyBlock");
        if (tmkKeyBlock.isEmpty() || tmkKeyBlock.length() > 512) {
            throw new IllegalArgumentException("tmkKeyBlock: expected 1..512 characters, found " + tmkKeyBlock.length());
        }
        Objects.requireNonNull(allowedTransactionTypes, "allowedTransactionTypes");
        allowedTransactionTypes.forEach(type -> Checks.identifier(type, 32, "allowedTransactionTypes"));
        allowedTransactionTypes = Set.copyOf(new TreeSet<>(allowedTransactionTypes));
        Objects.requireNonNull(status, "status");
    }

    public boolean allows(String transactionType) {
        return status == TerminalStatus.ACTIVE && allowedTransactionTypes.contains(transactionType);
    }

    @Override
    public String toString() {
        return "Terminal[" + terminalId + ", merchant " + merchantId + ", " + dialect + ", tmk ****, "
                + new TreeSet<>(allowedTransactionTypes) + ", " + status + "]";
    }
}
