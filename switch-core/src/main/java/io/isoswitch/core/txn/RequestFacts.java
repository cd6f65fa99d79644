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
 */
public record RequestFacts(TransactionType type, IntPredicate present, CharSequence pan, CharSequence expiry,
                           long amountMinor, String currency, boolean cupDialect) {
    @Override
    public String toString() {
        String masked = pan == null || pan.length() < 10 ? "none"
                : pan.subSequence(0, 6) + "*".repeat(pan.length() - 10) + pan.subSequence(pan.length() - 4, pan.length());
        return "RequestFacts[type=" + type + ", pan=" + masked + ", amountMinor=" + amountMinor + ", currency=" + currency + "]";
    }
}
