package io.isoswitch.settlement.fees;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One line of a fee plan: for card scheme {@code scheme} and transaction type {@code type} (either
 * may be {@link #ANY}), the merchant pays {@code percent} of the amount plus {@code fixedMinor},
 * then raised to {@code minimumMinor} and capped at {@code maximumMinor} (0 = no cap).
 *
 * @param scheme       card scheme ({@code visa}, {@code mastercard}, {@code unionpay}...) or {@code *}
 * @param type         transaction type ({@code purchase}, {@code preauth_completion}...) or {@code *}
 * @param percent      percentage of the amount, e.g. {@code 0.60} for 0.60 %
 * @param fixedMinor   fixed part in minor units
 * @param minimumMinor the least fee charged, in minor units
 * @param maximumMinor the most fee charged, in minor units; 0 means no cap
 */
public record FeeRule(String scheme, String type, BigDecimal percent, long fixedMinor, long minimumMinor, long maximumMinor) {
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
    }

    /** The percentage in units of 0.0001 % (0.60 % is 6000): what settlement's SQL computes with. */
    public long percentE4() {
        return percent.movePointRight(MAX_PERCENT_DECIMALS).longValueExact();
    }

    boolean matches(String cardScheme, String transactionType) {
        return (ANY.equals(scheme) || scheme.equals(cardScheme)) && (ANY.equals(type) || type.equals(transactionType));
    }

    /** How specific the rule is: an exact scheme and type beat wildcards. */
    int specificity() {
        return (ANY.equals(scheme) ? 0 : 2) + (ANY.equals(type) ? 0 : 1);
    }
}
