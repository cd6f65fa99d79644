package io.isoswitch.core.pipeline;

import io.isoswitch.codec.IsoMessageView;
import io.isoswitch.core.txn.ResponseCodes;

/**
 * Reads the card from a request: field 2 and 14, or else track 2 (field 35: PAN '=' YYMM ...), and
 * checks that the two agree when a terminal sends both.
 */
final class CardData {
    private static final int PAN = 2;
    private static final int EXPIRY = 14;
    private static final int TRACK2 = 35;

    private CardData() {
    }

    static String pan(IsoMessageView request) {
        if (request.has(PAN)) {
            return request.getString(PAN);
        }
        if (request.has(TRACK2)) {
            CharSequence track = request.chars(TRACK2);
            int separator = separator(track);
            return separator < 0 ? null : track.subSequence(0, separator).toString();
        }
        return null;
    }

    /**
     * The code to decline with when the request's card data contradicts itself, or null when it
     * does not: a track 2 without its separator is malformed (30); a track 2 whose PAN is not
     * field 2's names two cards (14), and authorizing either would charge a card the terminal may
     * not have read.
     */
    static String conflict(IsoMessageView request) {
        if (!request.has(TRACK2)) {
            return null;
        }
        CharSequence track = request.chars(TRACK2);
        int separator = separator(track);
        if (separator < 0) {
            return ResponseCodes.FORMAT_ERROR;
        }
        CharSequence trackPan = track.subSequence(0, separator);
        // a UnionPay track encrypted under the TDK (field 53) may hide digits of its PAN: it cannot be compared
        if (request.has(PAN) && digits(trackPan) && CharSequence.compare(request.chars(PAN), trackPan) != 0) {
            return ResponseCodes.INVALID_CARD_NUMBER;
        }
        return null;
    }

    static String expiry(IsoMessageView request) {
        if (request.has(EXPIRY)) {
            return request.getString(EXPIRY);
        }
        if (request.has(TRACK2)) {
            CharSequence track = request.chars(TRACK2);
            int separator = separator(track);
            return separator < 0 || separator + 5 > track.length() ? null : track.subSequence(separator + 1, separator + 5).toString();
        }
        return null;
    }

    private static boolean digits(CharSequence chars) {
        for (int i = 0; i < chars.length(); i++) {
            if (chars.charAt(i) < '0' || chars.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static int separator(CharSequence track) {
        for (int i = 0; i < track.length(); i++) {
            char c = track.charAt(i);
            if (c == '=' || c == 'D' || c == 'd') {
                return i;
            }
        }
        return -1;
    }
}
