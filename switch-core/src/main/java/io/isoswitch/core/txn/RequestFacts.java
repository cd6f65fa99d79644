package io.isoswitch.core.txn;

import java.util.function.IntPredicate;

/**
 * What validation needs to know of a request, read once from the decoded message. Holds card
 * data (PAN, expiry), so its {@code toString()} masks it.
 *
 * @param type        the classified transaction
 * @param present     whether a field is present
 * @param pan         the PAN from field 2, or from track 2 (35) before its separator; null if neither
 * @param expiry      YYMM from field 14 or track 2; null if neither
 * @param amountMinor field 4 in minor units, or -1 when absent
 * @param currency    field 49, or null
 * @param cupDialect  true for UnionPay POS requests (field 60 mandatory)
 * @param processingCode field 3, or null when absent
 */
public record RequestFacts(TransactionType type, IntPredicate present, CharSequence pan, CharSequence expiry,
                           long amountMinor, String currency, boolean cupDialect, String processingCode) {
    /** A request whose processing code does not matter to validation (none but a reversal's does). */
    public RequestFacts(TransactionType type, IntPredicate present, CharSequence pan, CharSequence expiry,
                        long amountMinor, String currency, boolean cupDialect) {
        this(type, present, pan, expiry, amountMinor, currency, cupDialect, null);
    }

    /**
     * A terminal's reversal of a balance inquiry: a reversal repeats its original's processing code
     * (ISO and UnionPay terminals alike), 31 for an inquiry. It names no amount, as its inquiry
     * named none, and there is no money to give back.
     */
    public boolean reversesBalanceInquiry() {
        return type == TransactionType.REVERSAL && processingCode != null && processingCode.startsWith(BALANCE_INQUIRY_CODE);
    }

    private static final String BALANCE_INQUIRY_CODE = "31";

    @Override
    public String toString() {
        String masked = pan == null || pan.length() < 10 ? "none"
                : pan.subSequence(0, 6) + "*".repeat(pan.length() - 10) + pan.subSequence(pan.length() - 4, pan.length());
        return "RequestFacts[type=" + type + ", pan=" + masked + ", amountMinor=" + amountMinor + ", currency=" + currency
                + ", processingCode=" + processingCode + "]";
    }
}
