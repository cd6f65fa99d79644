package io.isoswitch.settlement.clearing;

import java.util.Objects;

/**
 * What one merchant is paid for a settlement date in one currency; minor units.
 * {@code netMinor = salesMinor - refundMinor - feeMinor}.
 *
 * @param merchantId  the merchant
 * @param currency    ISO 4217 numeric
 * @param salesCount  sales, less those reversed
 * @param salesMinor  sales, less those reversed
 * @param refundCount refunds and voids, less those reversed
 * @param refundMinor refunds and voids, less those reversed
 * @param feeMinor    fees charged less fees returned on refunds and voids
 * @param netMinor    what the merchant is paid
 */
public record MerchantTotals(String merchantId, String currency, long salesCount, long salesMinor, long refundCount,
                             long refundMinor, long feeMinor, long netMinor) {
    public MerchantTotals {
        Objects.requireNonNull(merchantId, "merchantId");
        Objects.requireNonNull(currency, "currency");
        if (netMinor != salesMinor - refundMinor - feeMinor) {
            throw new IllegalArgumentException("netMinor " + netMinor + " is not sales " + salesMinor + " - refunds "
                    + refundMinor + " - fees " + feeMinor);
        }
    }

    /** Transactions counted: sales and refunds. */
    public long transactionCount() {
        return salesCount + refundCount;
    }
}
