package io.isoswitch.core.pipeline;

import io.isoswitch.core.txn.TransactionType;

/**
 * The ISO 8583:1987 MTI and processing code an issuer sees for each transaction type. Issuer links
 * speak ISO 1987 whatever the terminal spoke: UnionPay's own MTIs and processing codes (where field
 * 60, not field 3, says what a request is) map onto the ISO ones.
 */
public final class IssuerCodes {
    private IssuerCodes() {
    }

    public static String mti(TransactionType type) {
        return switch (type) {
            case PREAUTH, PREAUTH_VOID -> "0100";
            case PREAUTH_COMPLETION, PREAUTH_COMPLETION_ADVICE -> "0220";
            case REVERSAL -> "0400";
            default -> "0200";
        };
    }

    /** The ISO transaction-type digits for the type, keeping the terminal's account-type digits. */
    public static String processingCode(TransactionType type, String terminalProcessingCode) {
        String accounts = terminalProcessingCode != null && terminalProcessingCode.length() == 6
                ? terminalProcessingCode.substring(2) : "0000";
        String kind = switch (type) {
            case PURCHASE_VOID, PREAUTH_VOID, PREAUTH_COMPLETION_VOID -> "02";
            case REFUND -> "20";
            case BALANCE_INQUIRY -> "31";
            default -> "00";
        };
        return kind + accounts;
    }
}
