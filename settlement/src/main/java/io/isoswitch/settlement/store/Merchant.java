package io.isoswitch.settlement.store;

import io.isoswitch.settlement.Checks;
import java.util.Objects;

/**
 * A merchant: who terminals belong to, what they sell (MCC) and how they are paid.
 *
 * @param merchantId field 42
 * @param mcc        ISO 18245 merchant category code, 4 digits
 * @param currency   ISO 4217 numeric currency of settlement
 * @param feePlanId  the fee plan settlement applies
 */
public record Merchant(String merchantId, String name, String mcc, String currency, String feePlanId) {
    public Merchant {
        Checks.text(merchantId, 32, "merchantId");
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || name.length() > 100) {
            throw new IllegalArgumentException("name: expected 1..100 characters, found " + name.length());
        }
        Checks.digits(mcc, 4, "mcc");
        Checks.digits(currency, 3, "currency");
        Checks.identifier(feePlanId, 32, "feePlanId");
    }
}
