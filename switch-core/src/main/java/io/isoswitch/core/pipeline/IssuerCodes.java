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

    /**
     * The MTI of the advice that tells the issuer of a transaction it did not answer: 0120 for a
     * pre-authorization (a hold), 0220 for a purchase or a completion (money moved).
     */
    public static String adviceMti(TransactionType type) {
        return type == TransactionType.PREAUTH ? "0120" : "0220";
    }

    /**
     * The MTI of a reversal of a journaled transaction: 0420 (reversal advice) when the issuer knows
     * it only from an advice (a stand-in approval), else 0400.
     */
    public static String reversalMti(io.isoswitch.settlement.journal.JournalEntry original) {
        return original.state() == io.isoswitch.settlement.journal.TransactionState.STAND_IN_APPROVED ? "0420" : "0400";
    }

    /**
     * The MTI under which the issuer saw the original a reversal names in field 90: its advice's
     * when the reversal is a reversal advice (042x) of a stand-in approval, else its own.
     */
    public static String originalMti(TransactionType type, String reversalMti) {
        return reversalMti.startsWith("042") && type != TransactionType.PREAUTH_COMPLETION_ADVICE ? adviceMti(type) : mti(type);
    }

    /**
     * The MTI under which the issuer knows a journaled transaction, for field 90 of what names it
     * later (a completion naming its pre-authorization): its advice's when it was approved in
     * stand-in, else its own.
     */
    public static String knownAs(io.isoswitch.settlement.journal.JournalEntry original) {
        TransactionType type = TransactionType.valueOf(original.request().transactionType());
        return original.state() == io.isoswitch.settlement.journal.TransactionState.STAND_IN_APPROVED ? adviceMti(type) : mti(type);
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
