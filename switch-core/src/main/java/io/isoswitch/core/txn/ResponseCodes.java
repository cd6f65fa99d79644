package io.isoswitch.core.txn;

/**
 * The field 39 codes the switch itself answers with (issuers' own codes pass through unchanged).
 * Meanings per ISO 8583:1987 and the UnionPay POS table (docs in {@code ../shared/cup-pos.md} §10).
 */
public final class ResponseCodes {
    public static final String APPROVED = "00";
    /** An issuer approved less than was asked (the approved amount in field 4 of its answer). */
    public static final String PARTIAL_APPROVAL = "10";
    /** An issuer approved all of the amount and marks the cardholder a VIP. */
    public static final String VIP_APPROVAL = "11";
    /** An issuer approved all of the amount and asks that the cardholder's identity be checked. */
    public static final String HONOUR_WITH_IDENTIFICATION = "08";
    /** An issuer approved all of the amount and asks for track 3 to be updated (no terminal of ours writes it). */
    public static final String APPROVED_UPDATE_TRACK_3 = "16";
    public static final String INVALID_MERCHANT = "03";
    public static final String DO_NOT_HONOUR = "05";
    public static final String INVALID_TRANSACTION = "12";
    public static final String INVALID_AMOUNT = "13";
    public static final String INVALID_CARD_NUMBER = "14";
    public static final String NO_SUCH_ISSUER = "15";
    public static final String UNABLE_TO_LOCATE_ORIGINAL = "25";
    public static final String FORMAT_ERROR = "30";
    public static final String FUNCTION_NOT_SUPPORTED = "40";
    public static final String INSUFFICIENT_FUNDS = "51";
    public static final String EXPIRED_CARD = "54";
    public static final String NOT_PERMITTED_TO_TERMINAL = "58";
    public static final String EXCEEDS_AMOUNT_LIMIT = "61";
    public static final String ORIGINAL_AMOUNT_INCORRECT = "64";
    public static final String EXCEEDS_FREQUENCY_LIMIT = "65";
    public static final String CUTOFF_IN_PROGRESS = "90";
    public static final String ISSUER_UNAVAILABLE = "91";
    public static final String UNABLE_TO_ROUTE = "92";
    public static final String DUPLICATE_TRANSMISSION = "94";
    public static final String RECONCILIATION_ERROR = "95";
    public static final String SYSTEM_ERROR = "96";
    public static final String TERMINAL_NOT_REGISTERED = "97";
    /** ISO 8583:1987 has no MAC-failure code; acquirers commonly use 63 ("security violation"). */
    public static final String ISO_MAC_FAILURE = "63";
    /** UnionPay POS: MAC error, sign on again. */
    public static final String CUP_MAC_FAILURE = "A0";
    /** UnionPay POS: security processing failure (keys could not be loaded). */
    public static final String CUP_SECURITY_FAILURE = "A7";

    private ResponseCodes() {
    }

    /** The MAC-failure code of a dialect. */
    public static String macFailure(String dialect) {
        return "cup-pos".equals(dialect) ? CUP_MAC_FAILURE : ISO_MAC_FAILURE;
    }

    /**
     * True for the issuer codes that mean money moved (a full approval, plain or one that says more,
     * or a partial one). A terminal only ever hears 00 of them (see {@link #approvalForTerminal});
     * the others are still found in records journaled before that rule.
     */
    public static boolean isApproval(String code) {
        return APPROVED.equals(code) || PARTIAL_APPROVAL.equals(code) || isFullApprovalVariant(code);
    }

    /**
     * ISO 8583:1987's full approvals that say something more: 08 (honour with identification), 11
     * (VIP) and 16 (approved, update track 3). The money moved as for 00.
     */
    private static boolean isFullApprovalVariant(String code) {
        return VIP_APPROVAL.equals(code) || HONOUR_WITH_IDENTIFICATION.equals(code) || APPROVED_UPDATE_TRACK_3.equals(code);
    }

    /**
     * What a terminal hears for an issuer's approval: 00. Terminals are only sure to take 00 as
     * approved (our terminal simulator, and many ISO 1987 POS, read anything else as a decline,
     * which would leave the cardholder debited without the goods and the batch out of balance); 08,
     * 11 and 16 are full approvals, and a partial approval (10) reaches here only for what moves no
     * money (an inquiry). Other codes pass unchanged.
     */
    public static String approvalForTerminal(String issuerCode) {
        return isFullApprovalVariant(issuerCode) || PARTIAL_APPROVAL.equals(issuerCode) ? APPROVED : issuerCode;
    }
}
