package io.isoswitch.core.emv;

/**
 * What a UnionPay POS parameter download (0810, 60.3 360) carries besides the merchant's name,
 * which comes from the merchant the terminal is registered to.
 *
 * @param supportedTransactions code 11: up to 32 characters '1' or '0', one per transaction kind; which
 *                              position is which kind is acquirer-defined (unverified); default all 32 '1'
 * @param advertisement         code 13: text the terminal prints on receipts, up to 120 bytes in GBK; default empty
 */
public record TerminalParameters(String supportedTransactions, String advertisement) {
    public static final String ALL_SUPPORTED = "1".repeat(32);

    public TerminalParameters {
        supportedTransactions = supportedTransactions == null ? ALL_SUPPORTED : supportedTransactions;
        advertisement = advertisement == null ? "" : advertisement;
        if (!supportedTransactions.matches("[01]{1,32}")) {
            throw new IllegalArgumentException("supportedTransactions: expected 1 to 32 characters 0 or 1, found '"
                    + supportedTransactions + "'");
        }
    }

    public static TerminalParameters defaults() {
        return new TerminalParameters(null, null);
    }
}
