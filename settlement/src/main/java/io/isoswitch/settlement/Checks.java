package io.isoswitch.settlement;

import java.util.Objects;
import java.util.regex.Pattern;

/** Argument checks that name the parameter and the bad value (values here are never card data). */
public final class Checks {
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]+");

    private Checks() {}

    /** Exactly {@code length} decimal digits, e.g. a STAN or a currency code. */
    public static String digits(String value, int length, String name) {
        Objects.requireNonNull(value, name);
        if (value.length() != length || !DIGITS.matcher(value).matches()) {
            throw new IllegalArgumentException(name + ": expected " + length + " digits, found '" + value + "'");
        }
        return value;
    }

    /** An identifier of 1 to {@code maxLength} characters from [A-Za-z0-9_.-]. */
    public static String identifier(String value, int maxLength, String name) {
        Objects.requireNonNull(value, name);
        if (value.isEmpty() || value.length() > maxLength || !NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    name + ": expected 1.." + maxLength + " characters of [A-Za-z0-9_.-], found '" + value + "'");
        }
        return value;
    }

    /** Printable text of 1 to {@code maxLength} characters (ISO 8583 "ans" fields such as a terminal id). */
    public static String text(String value, int maxLength, String name) {
        Objects.requireNonNull(value, name);
        if (value.isEmpty() || value.length() > maxLength || !value.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException(
                    name + ": expected 1.." + maxLength + " printable ASCII characters, found '" + value + "'");
        }
        return value;
    }

    /** Zero or more minor units. */
    public static long amount(long amountMinor, String name) {
        if (amountMinor < 0) {
            throw new IllegalArgumentException(name + ": expected >= 0 minor units, found " + amountMinor);
        }
        return amountMinor;
    }
}
