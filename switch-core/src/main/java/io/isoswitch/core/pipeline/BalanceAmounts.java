package io.isoswitch.core.pipeline;

/**
 * Field 54 (additional amounts) as the terminal's dialect carries it. Issuers send one or more
 * 20-character entries (account type 2, amount type 2, currency 3, sign C/D 1, amount 12); ISO
 * 8583:1987 terminals take them all (up to 120 characters), UnionPay POS terminals exactly one:
 * the available balance (amount type 02) when the issuer sent it, else the first entry.
 */
final class BalanceAmounts {
    static final int ENTRY_LENGTH = 20;
    private static final String AVAILABLE_BALANCE = "02";

    private BalanceAmounts() {
    }

    static String forTerminal(String issuerField54, boolean cupTerminal) {
        if (!cupTerminal || issuerField54.length() <= ENTRY_LENGTH) {
            return issuerField54;
        }
        for (int at = 0; at + ENTRY_LENGTH <= issuerField54.length(); at += ENTRY_LENGTH) {
            if (issuerField54.startsWith(AVAILABLE_BALANCE, at + 2)) {
                return issuerField54.substring(at, at + ENTRY_LENGTH);
            }
        }
        return issuerField54.substring(0, ENTRY_LENGTH);
    }
}
