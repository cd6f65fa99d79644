package io.isoswitch.sim.card;

/**
 * PAN helpers: the Luhn (mod 10) check digit and the masked form (first 6, last 4) that is the only
 * form a PAN may take in logs, exceptions and {@code toString()}.
 */
public final class Pans {
    /** Shortest and longest PAN accepted (ISO/IEC 7812). */
    public static final int MIN_LENGTH = 12;
    public static final int MAX_LENGTH = 19;

    private Pans() {
    }

    /** True when {@code pan} is 12 to 19 digits and its last digit is the Luhn check digit. */
    public static boolean isValid(String pan) {
        if (pan == null || pan.length() < MIN_LENGTH || pan.length() > MAX_LENGTH || !Digits.isDigits(pan)) {
            return false;
        }
        return luhnCheckDigit(pan.substring(0, pan.length() - 1)) == pan.charAt(pan.length() - 1) - '0';
    }

    /** The Luhn check digit to append to {@code payload} (digits without their check digit). */
    public static int luhnCheckDigit(String payload) {
        if (!Digits.isDigits(payload)) {
            throw new IllegalArgumentException("luhn payload: expected digits only");
        }
        int sum = 0;
        boolean doubleIt = true; // the rightmost payload digit sits next to the check digit: doubled
        for (int i = payload.length() - 1; i >= 0; i--) {
            int digit = payload.charAt(i) - '0';
            if (doubleIt) {
                digit *= 2;
                if (digit > 9) {
                    digit -= 9;
                }
            }
            sum += digit;
            doubleIt = !doubleIt;
        }
        return (10 - sum % 10) % 10;
    }

    /** First 6 and last 4 digits, the rest as {@code *}; anything too short is fully masked. */
    public static String mask(String pan) {
        if (pan == null) {
            return "null";
        }
        if (pan.length() < 11) {
            return "*".repeat(pan.length());
        }
        return pan.substring(0, 6) + "*".repeat(pan.length() - 10) + pan.substring(pan.length() - 4);
    }
}
