package io.isoswitch.core.txn;

import java.util.EnumMap;
import java.util.Map;

/**
 * The fields a terminal's request must carry, per transaction type. The card is either field 2
 * (with 14) or track 2 (35), so it is checked separately by {@link RequestValidator}. A missing
 * field is a format error (30).
 *
 * <p>ISO 8583:1987 and UnionPay POS requests agree on these except where noted; UnionPay terminals
 * identify the transaction by field 60, so it is mandatory for them ({@link #FIELD_60}).
 */
final class MandatoryFields {
    static final int FIELD_60 = 60;
    private static final int ORIGINAL_RRN = 37;
    private static final int ORIGINAL_DATA = 61;
    private static final int[] NONE = {};
    /** A reversal of a balance inquiry: the inquiry named no amount (field 4), nor does its reversal. */
    private static final int[] BALANCE_INQUIRY_REVERSAL = {3, 11, 41, 42};
    private static final Map<TransactionType, int[]> BY_TYPE = new EnumMap<>(TransactionType.class);

    static {
        // 3 processing code, 4 amount, 11 STAN, 22 POS entry mode, 37 RRN, 38 auth code,
        // 41 terminal id, 42 merchant id, 49 currency
        BY_TYPE.put(TransactionType.PURCHASE, new int[] {3, 4, 11, 22, 41, 42, 49});
        BY_TYPE.put(TransactionType.PURCHASE_VOID, new int[] {3, 4, 11, 37, 41, 42, 49});
        // a refund may name its original (37) or stand alone, as card-present refunds do
        BY_TYPE.put(TransactionType.REFUND, new int[] {3, 4, 11, 41, 42, 49});
        BY_TYPE.put(TransactionType.PREAUTH, new int[] {3, 4, 11, 22, 41, 42, 49});
        BY_TYPE.put(TransactionType.PREAUTH_VOID, new int[] {3, 4, 11, 38, 41, 42, 49});
        BY_TYPE.put(TransactionType.PREAUTH_COMPLETION, new int[] {3, 4, 11, 38, 41, 42, 49});
        BY_TYPE.put(TransactionType.PREAUTH_COMPLETION_VOID, new int[] {3, 4, 11, 37, 38, 41, 42, 49});
        BY_TYPE.put(TransactionType.PREAUTH_COMPLETION_ADVICE, new int[] {3, 4, 11, 38, 41, 42, 49});
        BY_TYPE.put(TransactionType.BALANCE_INQUIRY, new int[] {3, 11, 22, 41, 42});
        BY_TYPE.put(TransactionType.REVERSAL, new int[] {3, 4, 11, 41, 42});
        BY_TYPE.put(TransactionType.SIGN_ON, new int[] {11, 41});
        BY_TYPE.put(TransactionType.SIGN_OFF, new int[] {11, 41});
        BY_TYPE.put(TransactionType.ECHO, new int[] {11, 41});
        BY_TYPE.put(TransactionType.KEY_EXCHANGE, new int[] {11, 41});
        BY_TYPE.put(TransactionType.SETTLEMENT, new int[] {11, 41, 42});
        BY_TYPE.put(TransactionType.BATCH_UPLOAD, new int[] {11, 41, 42});
    }

    private MandatoryFields() {
    }

    static int[] of(TransactionType type) {
        return BY_TYPE.getOrDefault(type, NONE);
    }

    static int[] of(RequestFacts facts) {
        return facts.reversesBalanceInquiry() ? BALANCE_INQUIRY_REVERSAL : of(facts.type());
    }

    /**
     * A UnionPay terminal may name a void's original by field 61 (original batch, trace and date)
     * instead of its RRN: field 37 is then not required.
     */
    static boolean namedByOriginalData(int field, boolean cupDialect, java.util.function.IntPredicate present) {
        return field == ORIGINAL_RRN && cupDialect && present.test(ORIGINAL_DATA);
    }

    /** Whether the type needs a card (field 2 or 35). */
    static boolean needsCard(TransactionType type) {
        return type.financial() && type != TransactionType.REVERSAL || type == TransactionType.BALANCE_INQUIRY;
    }
}
