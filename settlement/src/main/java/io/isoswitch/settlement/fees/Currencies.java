package io.isoswitch.settlement.fees;

import java.util.Currency;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * ISO 4217 codes as the journal keeps them: three digits ({@code 156}), from a numeric or
 * alphabetic code. Only currencies with minor units (0 to 3 decimals): not gold, SDRs, test or
 * "no currency" (XAU, XDR, XTS, XXX), which have no minor unit to price in.
 */
final class Currencies {
    private static final Map<String, String> NUMERIC_OF_ALPHA = new TreeMap<>();

    static {
        for (Currency c : Currency.getAvailableCurrencies()) {
            if (c.getNumericCode() > 0 && c.getDefaultFractionDigits() >= 0) {
                NUMERIC_OF_ALPHA.put(c.getCurrencyCode(), c.getNumericCodeAsString());
            }
        }
    }

    private Currencies() {
    }

    /** {@code code} as three digits; {@link FeeRule#ANY} stays itself. */
    static String numeric(String code) {
        if (FeeRule.ANY.equals(code)) {
            return code;
        }
        String trimmed = code.trim().toUpperCase(Locale.ROOT);
        if (trimmed.matches("[0-9]{1,3}")) {
            String digits = "%03d".formatted(Integer.parseInt(trimmed));
            if (NUMERIC_OF_ALPHA.containsValue(digits)) {
                return digits;
            }
        } else if (NUMERIC_OF_ALPHA.containsKey(trimmed)) {
            return NUMERIC_OF_ALPHA.get(trimmed);
        }
        throw new IllegalArgumentException("currency: expected an ISO 4217 code (CNY or 156) or *, found '" + code + "'");
    }
}
