package io.isoswitch.settlement.fees;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One line of a fee plan: for card scheme {@code scheme}, transaction type {@code type} and
 * currency {@code currency} (any of them may be {@link #ANY}), the merchant pays {@code percent}
 * of the amount plus {@code fixedMinor}, then raised to {@code minimumMinor} and capped at
 * {@code maximumMinor} (0 = no cap).
 *
 * <p>A percentage is the same in every currency, an amount is not: 25 minor units are 0.25 yuan,
 * 25 yen or 0.025 dinar. So a rule with a fixed part, a minimum or a cap names the currency they are
 * written in, and prices only transactions in that currency; only a percentage-only rule may be for
 * any currency.
 *
 * @param scheme       card scheme ({@code visa}, {@code mastercard}, {@code unionpay}...) or {@code *}
 * @param type         transaction type ({@code purchase}, {@code preauth_completion}...) or {@code *}
 * @param percent      percentage of the amount, e.g. {@code 0.60} for 0.60 %
 * @param fixedMinor   fixed part in minor units of {@code currency}
 * @param minimumMinor the least fee charged, in minor units of {@code currency}
 * @param maximumMinor the most fee charged, in minor units of {@code currency}; 0 means no cap
 * @param currency     ISO 4217 numeric code ({@code 156}; an alphabetic one, {@code CNY}, is
 *                     turned into it), or {@code *} for a percentage-only rule of any currency
 */
public record FeeRule(String scheme, String type, BigDecimal percent, long fixedMinor, long minimumMinor, long maximumMinor,
                      String currency) {
    public static final String ANY = "*";
    /** Percentages are given to 0.0001 %. */
    public static final int MAX_PERCENT_DECIMALS = 4;

    public FeeRule {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(percent, "percent");
        if (percent.signum() < 0 || percent.compareTo(BigDecimal.valueOf(100)) > 0) {
            throw new IllegalArgumentException("percent must be 0 to 100, was " + percent);
        }
        if (percent.stripTrailingZeros().scale() > MAX_PERCENT_DECIMALS) {
            // settlement computes fees in SQL on integers of 0.0001 %; more decimals would round twice
            throw new IllegalArgumentException("percent has at most " + MAX_PERCENT_DECIMALS + " decimals, was " + percent);
        }
        if (fixedMinor < 0 || minimumMinor < 0 || maximumMinor < 0) {
            throw new IllegalArgumentException("fixedMinor, minimumMinor and maximumMinor must not be negative, were "
                    + fixedMinor + ", " + minimumMinor + ", " + maximumMinor);
        }
        if (maximumMinor != 0 && maximumMinor < minimumMinor) {
            throw new IllegalArgumentException("maximumMinor " + maximumMinor + " is below minimumMinor " + minimumMinor);
        }
        currency = Currencies.numeric(Objects.requireNonNull(currency, "currency"));
        if (ANY.equals(currency) && (fixedMinor != 0 || minimumMinor != 0 || maximumMinor != 0)) {
            throw new IllegalArgumentException("rule " + scheme + "/" + type + ": fixedMinor, minimumMinor and maximumMinor ("
                    + fixedMinor + ", " + minimumMinor + ", " + maximumMinor + ") are minor units, whose worth depends on the"
                    + " currency (JPY has 0 decimals, CNY 2, KWD 3): name the currency they are in (currency: CNY or 156);"
                    + " the rule then prices only that currency's transactions");
        }
    }

    /** A percentage-only rule of any currency. */
    public FeeRule(String scheme, String type, BigDecimal percent) {
        this(scheme, type, percent, 0, 0, 0, ANY);
    }

    /** The percentage in units of 0.0001 % (0.60 % is 6000): what settlement's SQL computes with. */
    public long percentE4() {
        return percent.movePointRight(MAX_PERCENT_DECIMALS).longValueExact();
    }

    /** Whether the rule prices this transaction; {@code transactionCurrency} {@link #ANY} stands for a currency no rule names. */
    boolean matches(String cardScheme, String transactionType, String transactionCurrency) {
        return (ANY.equals(scheme) || scheme.equals(cardScheme)) && (ANY.equals(type) || type.equals(transactionType))
                && (ANY.equals(currency) || currency.equals(transactionCurrency));
    }

    /** How specific the rule is: an exact scheme beats an exact type, which beats an exact currency, which beats wildcards. */
    int specificity() {
        return (ANY.equals(scheme) ? 0 : 4) + (ANY.equals(type) ? 0 : 2) + (ANY.equals(currency) ? 0 : 1);
    }
}
