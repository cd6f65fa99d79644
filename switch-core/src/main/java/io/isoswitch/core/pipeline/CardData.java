package io.isoswitch.core.pipeline;

import io.isoswitch.codec.IsoMessageView;
import io.isoswitch.core.txn.CardChecks;
import io.isoswitch.core.txn.ResponseCodes;
import io.isoswitch.security.Hsm;
import io.isoswitch.security.SecureKey;
import java.util.HexFormat;

/**
 * Reads the card from a request: field 2 and 14, or else track 2 (field 35: PAN '=' YYMM ...), and
 * checks that the two agree when a terminal sends both. The track is the one {@link #track} gives:
 * as it came, or with its TDK-encrypted block deciphered (UnionPay, cup-pos.md 9.2).
 */
final class CardData {
    private static final int PAN = 2;
    private static final int EXPIRY = 14;
    private static final int TRACK2 = 35;
    private static final int SECURITY_CONTROL = 53;
    /** Digits of track data cup-pos.md 9.2 encrypts: 8 bytes. */
    private static final int ENCRYPTED_DIGITS = 16;

    private CardData() {
    }

    /**
     * Track 2 as the card has it, or null without field 35. A UnionPay terminal whose field 53
     * says its tracks are encrypted (53.3 = 1) enciphers, under the TDK of its sign-on, the 16
     * digits that end at the second-to-last digit of the track padded to even length (cup-pos.md
     * 9.2); those are deciphered here with {@code tdk}. Without a TDK (a sign-on without one), or on
     * a track too short to hold the block, the track is read as it came.
     */
    static CharSequence track(IsoMessageView request, boolean cup, Hsm hsm, SecureKey tdk) {
        if (!request.has(TRACK2)) {
            return null;
        }
        CharSequence track = request.chars(TRACK2);
        if (!cup || tdk == null || !tracksEncrypted(request)) {
            return track;
        }
        // the codec shows nibble D as '=' (the separator's usual text): as cipher text it is a D like any other
        String padded = (track.length() % 2 == 0 ? track.toString() : track + "0").replace('=', 'D');
        int end = padded.length() - 1;
        if (end - ENCRYPTED_DIGITS < 0 || !hex(padded, end - ENCRYPTED_DIGITS, end)) {
            return track;
        }
        byte[] block = HexFormat.of().parseHex(padded, end - ENCRYPTED_DIGITS, end);
        String clear = HexFormat.of().withUpperCase().formatHex(hsm.decryptData(tdk, block));
        String whole = padded.substring(0, end - ENCRYPTED_DIGITS) + clear + padded.substring(end);
        return whole.substring(0, track.length()).replace('D', '=');
    }

    /**
     * Whether a UnionPay terminal formed its PIN block without the PAN: field 53.1 = 1 (ANSI X9.8
     * without PAN, cup-pos.md 4.4), a format 0 block over a PAN of zeros; 2 (or no field 53) is
     * format 0 with the PAN.
     */
    static boolean pinWithoutPan(IsoMessageView request, boolean cup) {
        if (!cup || !request.has(SECURITY_CONTROL)) {
            return false;
        }
        CharSequence control = request.chars(SECURITY_CONTROL);
        return control.length() >= 1 && control.charAt(0) == '1';
    }

    private static boolean tracksEncrypted(IsoMessageView request) {
        if (!request.has(SECURITY_CONTROL)) {
            return false;
        }
        CharSequence control = request.chars(SECURITY_CONTROL);
        return control.length() >= 3 && control.charAt(2) == '1';
    }

    private static boolean hex(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (Character.digit(text.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    static String pan(IsoMessageView request, CharSequence track) {
        if (request.has(PAN)) {
            return request.getString(PAN);
        }
        if (track != null) {
            int separator = CardChecks.trackSeparator(track);
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
    static String conflict(IsoMessageView request, CharSequence track) {
        if (track == null) {
            return null;
        }
        int separator = CardChecks.trackSeparator(track);
        if (separator < 0) {
            return ResponseCodes.FORMAT_ERROR;
        }
        CharSequence trackPan = track.subSequence(0, separator);
        // a UnionPay track encrypted under a TDK the switch does not hold may hide digits of its PAN: it cannot be compared
        if (request.has(PAN) && digits(trackPan) && CharSequence.compare(request.chars(PAN), trackPan) != 0) {
            return ResponseCodes.INVALID_CARD_NUMBER;
        }
        return null;
    }

    static String expiry(IsoMessageView request, CharSequence track) {
        if (request.has(EXPIRY)) {
            return request.getString(EXPIRY);
        }
        if (track != null) {
            int separator = CardChecks.trackSeparator(track);
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
}
