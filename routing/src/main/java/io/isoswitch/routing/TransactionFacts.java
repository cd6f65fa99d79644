package io.isoswitch.routing;

/**
 * What routing rules look at besides the BIN. Holds no card data, so it may be logged.
 *
 * @param mti            message type indicator, e.g. {@code "0200"}
 * @param processingCode field 3, six digits, e.g. {@code "000000"} (purchase)
 * @param currency       ISO 4217 numeric currency of field 4, e.g. 156
 * @param amountMinor    field 4 in minor units of {@code currency}
 */
public record TransactionFacts(String mti, String processingCode, int currency, long amountMinor) {
    /** Checks the facts, naming the bad one. */
    public TransactionFacts {
        if (mti == null || mti.length() != 4) {
            throw new IllegalArgumentException("mti must be 4 digits, was " + mti);
        }
        if (processingCode == null || processingCode.length() != 6) {
            throw new IllegalArgumentException("processingCode must be 6 digits, was " + processingCode);
        }
        if (currency < 0 || currency > 999) {
            throw new IllegalArgumentException("currency must be an ISO 4217 numeric code, was " + currency);
        }
        if (amountMinor < 0) {
            throw new IllegalArgumentException("amountMinor must be >= 0, was " + amountMinor);
        }
    }
}
