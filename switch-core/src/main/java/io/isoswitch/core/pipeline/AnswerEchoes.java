package io.isoswitch.core.pipeline;

import io.isoswitch.codec.IsoMessageView;

/**
 * Whether an issuer's answer echoes what the switch asked: an answer is matched to its request by
 * message class, STAN and institution only, so an answer that names another amount (field 4,
 * other than in a partial approval, which is read before this), another currency (49), another
 * terminal (41) or another retrieval reference (37) is not an answer to this request as sent: the
 * issuer mixed requests up, or changed the amount. Booked as asked, the switch would tell the
 * terminal 00 for an amount the issuer did not approve (the merchant settled for one amount, the
 * card debited another), or for another request's decision. Fields the answer leaves out are not
 * held against it (many hosts echo only some); a field it carries must be the request's.
 *
 * <p>On the hot path: a few comparisons on the answer's frame, no copy of a field unless it differs.
 */
final class AnswerEchoes {
    private AnswerEchoes() {}

    /**
     * The first echoed field of {@code answer} that is not what the request carried, as "field N",
     * or null when every echoed field agrees.
     *
     * @param amountSent the amount in the request's field 4, or -1 when it carried none (an inquiry)
     */
    static String mismatch(IsoMessageView answer, long amountSent, String currencySent, String terminalId, String rrn) {
        if (amountSent >= 0 && answer.has(4) && !amountIs(answer, amountSent)) {
            return "field 4";
        }
        if (currencySent != null && answer.has(49) && !same(answer.chars(49), currencySent)) {
            return "field 49";
        }
        if (answer.has(41) && !same(answer.chars(41), terminalId)) {
            return "field 41";
        }
        if (answer.has(37) && !same(answer.chars(37), rrn)) {
            return "field 37";
        }
        return null;
    }

    private static boolean amountIs(IsoMessageView answer, long expected) {
        try {
            return answer.amountMinor() == expected;
        } catch (RuntimeException unreadable) {
            return false;
        }
    }

    /** {@code field} equals {@code expected}, trailing spaces aside (ans fields are space-padded on the right). */
    private static boolean same(CharSequence field, String expected) {
        int end = field.length();
        while (end > 0 && field.charAt(end - 1) == ' ') {
            end--;
        }
        int expectedEnd = expected.length();
        while (expectedEnd > 0 && expected.charAt(expectedEnd - 1) == ' ') {
            expectedEnd--;
        }
        if (end != expectedEnd) {
            return false;
        }
        for (int i = 0; i < end; i++) {
            if (field.charAt(i) != expected.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
