package io.isoswitch.core.txn;

import io.isoswitch.codec.IsoMessageView;

/**
 * Field 60 of a UnionPay POS request (cup-pos.md 4.1), packed BCD of up to 17 digits:
 *
 * <pre>
 * | 60.1 type n2 | 60.2 batch n6 | 60.3 NMIC n3 | 60.4 n1 | 60.5 n1 | 60.6 n1 | 60.7 n3 |
 * '------- always present, 11 digits ----------'------------- optional --------------'
 * </pre>
 *
 * A UnionPay host names a request's transaction by 60.1 with 60.3, and its batch by 60.2, in every
 * message: financial, reversal, sign-on, settlement, upload, download. A field 60 that ends before
 * 60.3 names neither, so it is a format error (30), as the settlement path found for its own
 * messages (docs/batch-settlement.md); read as it came, a purchase of 60 = {@code 22} alone was
 * approved into a batch it never named.
 */
public final class UnionPayField60 {
    /** Reserved private: transaction type, batch, network management information code... */
    public static final int FIELD = 60;
    /** 60.1 (n2), 60.2 (n6) and 60.3 (n3). */
    public static final int LEADING_DIGITS = 11;

    private UnionPayField60() {
    }

    /** Whether {@code request} carries field 60 with at least 60.1, 60.2 and 60.3. */
    public static boolean complete(IsoMessageView request) {
        return request.has(FIELD) && request.length(FIELD) >= LEADING_DIGITS;
    }
}
