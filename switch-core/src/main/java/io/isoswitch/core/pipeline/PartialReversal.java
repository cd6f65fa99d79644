package io.isoswitch.core.pipeline;

import io.isoswitch.codec.IsoMessageView;

/**
 * Whether a reversal asks to undo only part of its original: ISO 8583:1987 field 95 (replacement
 * amounts) names what the cardholder is charged after it, its first twelve digits being the new
 * transaction amount. Zeros there, or no field 95, ask for a full reversal (many terminals send
 * the field zero-filled on every reversal).
 */
final class PartialReversal {
    private static final int FIELD = 95;
    private static final int AMOUNT_DIGITS = 12;

    private PartialReversal() {}

    static boolean requested(IsoMessageView request) {
        if (!request.has(FIELD)) {
            return false;
        }
        CharSequence amounts = request.chars(FIELD);
        int end = Math.min(AMOUNT_DIGITS, amounts.length());
        for (int i = 0; i < end; i++) {
            char c = amounts.charAt(i);
            if (c != '0' && c != ' ') {
                return true;
            }
        }
        return false;
    }
}
