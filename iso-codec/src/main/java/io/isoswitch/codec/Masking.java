package io.isoswitch.codec;

/**
 * Which fields hold card data and how they are shown when masked: a card number (2, 34, 102, 103) as first 6 + last 4,
 * every other sensitive field (expiry, tracks, PIN block, EMV data) as asterisks of the same
 * length.
 */
public final class Masking {
    /**
     * Fields masked by default: PAN, expiry, PAN extended, track 2, track 3, track 1, PIN block, ICC
     * data, account identifications 1 and 2 (UnionPay's transfer-out and transfer-in card numbers).
     */
    private static final int[] SENSITIVE = {2, 14, 34, 35, 36, 45, 52, 55, 102, 103};
    /** Fields that hold a card number, masked as first 6 + last 4 rather than whole. */
    private static final int[] CARD_NUMBERS = {2, 34, 102, 103};

    private Masking() {
    }

    /** Whether field {@code field} is masked by default. */
    public static boolean isSensitive(int field) {
        for (int sensitive : SENSITIVE) {
            if (sensitive == field) {
                return true;
            }
        }
        return false;
    }

    /**
     * The masked form of field {@code field}'s character form in a message of type {@code mti}: as
     * {@link #mask(int, CharSequence)}, and field 48 of a batch upload (03x0) with the PAN of each
     * transaction masked, since that field carries full card numbers (docs/batch-settlement.md):
     * <pre>
     * count n2 | card flag n2 | STAN n6 | PAN n20 (right-aligned, zero-filled) | amount n12 | ...
     * 02 00 713846 00006222021249404174 000000004800 ...  ->  02 00 713846 0000622202******4174 000000004800 ...
     * </pre>
     * An upload's field 48 that does not read as that layout (the closing count n4 aside) is masked whole.
     */
    public static String mask(String mti, int field, CharSequence value) {
        if (field == 48 && mti != null && mti.length() == 4 && mti.charAt(1) == '3') {
            return maskUploadDetail(value);
        }
        return mask(field, value);
    }

    private static final int UPLOAD_ENTRY_DIGITS = 2 + 6 + 20 + 12;
    private static final int UPLOAD_PAN_AT = 2 + 6;
    private static final int UPLOAD_PAN_DIGITS = 20;

    private static String maskUploadDetail(CharSequence value) {
        int length = value.length();
        if (length <= 4 && allDigits(value, 0, length)) {
            return value.toString();                                  // the closing upload's count
        }
        if (length < 2 || !allDigits(value, 0, length)) {
            return "*".repeat(length);
        }
        int count = (value.charAt(0) - '0') * 10 + (value.charAt(1) - '0');
        if (length != 2 + count * UPLOAD_ENTRY_DIGITS) {
            return "*".repeat(length);
        }
        StringBuilder masked = new StringBuilder(value);
        for (int entry = 0; entry < count; entry++) {
            int panSlot = 2 + entry * UPLOAD_ENTRY_DIGITS + UPLOAD_PAN_AT;
            int panStart = panSlot;
            while (panStart < panSlot + UPLOAD_PAN_DIGITS - 1 && value.charAt(panStart) == '0') {
                panStart++;
            }
            String pan = maskPan(value.subSequence(panStart, panSlot + UPLOAD_PAN_DIGITS));
            masked.replace(panStart, panSlot + UPLOAD_PAN_DIGITS, pan);
        }
        return masked.toString();
    }

    private static boolean allDigits(CharSequence value, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** The masked form of field {@code field}'s character form, or the value itself if it is not sensitive. */
    public static String mask(int field, CharSequence value) {
        if (!isSensitive(field)) {
            return value.toString();
        }
        for (int cardNumber : CARD_NUMBERS) {
            if (cardNumber == field) {
                return maskPan(value);
            }
        }
        return "*".repeat(value.length());
    }

    /** A PAN as first 6 + last 4 digits; shorter than 13 characters it is masked whole. */
    public static String maskPan(CharSequence pan) {
        int length = pan.length();
        if (length < 13) {
            return "*".repeat(length);
        }
        StringBuilder masked = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            masked.append(i < 6 || i >= length - 4 ? pan.charAt(i) : '*');
        }
        return masked.toString();
    }
}
