package io.isoswitch.core.terminal;

import java.util.Objects;

/**
 * A merchant the switch acquires for (field 42).
 *
 * @param id        the card acceptor id, up to 15 characters
 * @param name      the name printed on statements
 * @param mcc       merchant category code, four digits (field 18)
 * @param currency  the ISO 4217 numeric currency the merchant is settled in
 * @param feePlanId the fee plan that prices its transactions
 */
public record Merchant(String id, String name, String mcc, String currency, String feePlanId) {
    public Merchant {
        Objects.requireNonNull(id, "id");
        if (id.isEmpty() || id.length() > 15) {
            throw new IllegalArgumentException("merchant id must be 1 to 15 characters, was '" + id + "'");
        }
        Objects.requireNonNull(name, "name");
        if (mcc == null || !mcc.matches("\\d{4}")) {
            throw new IllegalArgumentException("merchant " + id + ": mcc must be four digits, was " + mcc);
        }
        if (currency == null || !currency.matches("\\d{3}")) {
            throw new IllegalArgumentException("merchant " + id + ": currency must be an ISO 4217 numeric code, was " + currency);
        }
        feePlanId = feePlanId == null ? "default" : feePlanId;
    }
}
