package io.isoswitch.settlement;

import java.util.Objects;

/**
 * Argument checks that name the parameter and the bad value (values here are never card data).
 * Loops, not regular expressions: every journal record runs a dozen of these on the card path,
 * where a Matcher per check showed up in the profile.
 */
public final class Checks {

    private Checks() {}

    /** Exactly {@code length} decimal digits, e.g. a STAN or a currency code. */
    public static String digits(String value, int length, String name) {
        Objects.requireNonNull(value, name);
        if (value.length() != length || !all(value, Checks::isDigit)) {
            throw new IllegalArgumentException(name + ": expected " + length + " digits, found '" + value + "'");
        }
        return value;
    }

    /** An identifier of 1 to {@code maxLength} characters from [A-Za-z0-9_.-]. */
    public static String identifier(String value, int maxLength, String name) {
        Objects.requireNonNull(value, name);
        if (value.isEmpty() || value.length() > maxLength || !all(value, Checks::isNameChar)) {
            throw new IllegalArgumentException(
                    name + ": expected 1.." + maxLength + " characters of [A-Za-z0-9_.-], found '" + value + "'");
        }
        return value;
    }

    /** Printable text of 1 to {@code maxLength} characters (ISO 8583 "ans" fields such as a terminal id). */
    public static String text(String value, int maxLength, String name) {
        Objects.requireNonNull(value, name);
        if (value.isEmpty() || value.length() > maxLength || !all(value, Checks::isPrintable)) {
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

    private static boolean all(String value, CharTest test) {
        for (int i = 0; i < value.length(); i++) {
            if (!test.holds(value.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isNameChar(char c) {
        return isDigit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == '.' || c == '-';
    }

    private static boolean isPrintable(char c) {
        return c >= 0x20 && c < 0x7f;
    }

    @FunctionalInterface
    private interface CharTest {
        boolean holds(char c);
    }
}
