package io.isoswitch.core.txn;

import java.time.YearMonth;

/** Checks on card data the switch can make before any issuer sees the request. */
public final class CardChecks {
    public static final int MIN_PAN_DIGITS = 12;
    public static final int MAX_PAN_DIGITS = 19;

    private CardChecks() {
    }

    /** True when {@code pan} is 12 to 19 digits with a valid Luhn (mod 10) check digit. */
    public static boolean validPan(CharSequence pan) {
        if (!wellFormedPan(pan)) {
            return false;
        }
        int sum = 0;
        boolean doubleIt = false;
        for (int i = pan.length() - 1; i >= 0; i--) {
            int digit = pan.charAt(i) - '0';
            if (doubleIt) {
                digit *= 2;
                if (digit > 9) {
                    digit -= 9;
                }
            }
            sum += digit;
            doubleIt = !doubleIt;
        }
        return sum % 10 == 0;
    }

    /**
     * True when {@code pan} is 12 to 19 digits, whatever its check digit: what a card number must be
     * to be compared with another card's (a reversal's card with its original's) or kept as a token.
     */
    public static boolean wellFormedPan(CharSequence pan) {
        if (pan == null || pan.length() < MIN_PAN_DIGITS || pan.length() > MAX_PAN_DIGITS) {
            return false;
        }
        for (int i = 0; i < pan.length(); i++) {
            if (pan.charAt(i) < '0' || pan.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** True when {@code yymm} reads as an expiry date: four digits, a month 01..12. */
    public static boolean readableExpiry(CharSequence yymm) {
        if (yymm == null || yymm.length() != 4) {
            return false;
        }
        for (int i = 0; i < 4; i++) {
            if (yymm.charAt(i) < '0' || yymm.charAt(i) > '9') {
                return false;
            }
        }
        int month = (yymm.charAt(2) - '0') * 10 + (yymm.charAt(3) - '0');
        return month >= 1 && month <= 12;
    }

    /**
     * True when the card's expiry ({@code YYMM}, field 14) is before {@code current}. A card is
     * valid through the last day of its expiry month. Unreadable expiry counts as expired.
     */
    public static boolean expired(CharSequence yymm, YearMonth current) {
        if (!readableExpiry(yymm)) {
            return true;
        }
        int year = 2000 + (yymm.charAt(0) - '0') * 10 + (yymm.charAt(1) - '0');
        int month = (yymm.charAt(2) - '0') * 10 + (yymm.charAt(3) - '0');
        return YearMonth.of(year, month).isBefore(current);
    }

    /**
     * Whether a request whose card data includes track 2 asks, by the track's service code (ISO/IEC
     * 7813), for a PIN: third digit 0, 3 or 5 (PIN required), 6 or 7 (PIN if a PIN pad is present,
     * as at every POS); or whose service code cannot be read (no separator, too short, not digits, a
     * track still enciphered), which cannot show that it does not. Only a chip or contactless read
     * that carries its chip data (field 22 {@code 05x} or {@code 07x} with field 55) is the card's
     * own CVM list's to decide, which the terminal applied; any other read with a track (stripe
     * {@code 02x}, {@code 80x}, {@code 90x}, contactless stripe {@code 91x}, {@code 95x}, a chip read
     * with no chip data, a "keyed" one with the track) is the stripe's. False with no track.
     */
    public static boolean trackAsksForPin(CharSequence posEntryMode, CharSequence track2, boolean chipData) {
        if (track2 == null) {
            return false;
        }
        String read = posEntryMode == null || posEntryMode.length() < 2 ? "" : posEntryMode.subSequence(0, 2).toString();
        if (chipData && (read.equals("05") || read.equals("07"))) {
            return false;
        }
        int separator = trackSeparator(track2);
        // separator, expiry YYMM, then the three digits of the service code
        int serviceCode = separator + 5;
        if (separator < 0 || track2.length() < serviceCode + 3) {
            return true;
        }
        for (int i = serviceCode; i < serviceCode + 3; i++) {
            if (track2.charAt(i) < '0' || track2.charAt(i) > '9') {
                return true;
            }
        }
        return switch (track2.charAt(serviceCode + 2)) {
            case '0', '3', '5', '6', '7' -> true;
            default -> false;
        };
    }

    /** Where track 2's field separator is ({@code =}, or {@code D} as a BCD track carries it), or -1. */
    public static int trackSeparator(CharSequence track) {
        for (int i = 0; i < track.length(); i++) {
            char c = track.charAt(i);
            if (c == '=' || c == 'D' || c == 'd') {
                return i;
            }
        }
        return -1;
    }
}
