package io.isoswitch.core.txn;

import io.isoswitch.codec.tlv.TlvReader;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a request's chip data (field 55) says what its own fields say (cup-pos.md 11): 9F02,
 * amount authorised, must equal field 4, and 5F2A, transaction currency code, must match field 49.
 *
 * <pre>
 * 9F02 06 | 00 00 00 00 01 16 |   n12, 6 bytes BCD: 000000000116 = field 4 000000000116
 * 5F2A 02 | 01 56             |   n3 in 2 bytes BCD, a leading 0: 0156 = field 49 "156"
 * </pre>
 *
 * The card's cryptogram (ARQC, 9F26) is computed over 9F02 and 5F2A: a request whose field 4 or
 * 49 says otherwise would charge an amount, or a currency, the card never signed, and the issuer,
 * which checks the cryptogram against the chip's tags, would authorize the chip's figures while
 * the switch journals and settles the message's. Such a request contradicts itself: a format
 * error (30). A tag that is absent is not compared; one that is not the format above cannot equal
 * its field and is a contradiction too.
 */
public final class IccCrossCheck {
    /** What contradicts what: the chip's tag and the message's field. */
    public enum Contradiction {
        AMOUNT(0x9F02, "9F02", 4),
        CURRENCY(0x5F2A, "5F2A", 49);

        private final int tag;
        private final String tagName;
        private final int field;

        Contradiction(int tag, String tagName, int field) {
            this.tag = tag;
            this.tagName = tagName;
            this.field = field;
        }

        /** The EMV tag as it is written, {@code 9F02}. */
        public String tagName() {
            return tagName;
        }

        /** The message's field the tag contradicts. */
        public int field() {
            return field;
        }
    }

    private static final int AMOUNT_BYTES = 6;
    private static final int CURRENCY_BYTES = 2;

    private IccCrossCheck() {
    }

    /**
     * Whether {@code type}'s chip data is compared: those whose card computes its cryptogram over
     * the amount the request asks for, a purchase and a pre-authorization. A balance inquiry names no
     * amount; a reversal repeats its original and must be acknowledged whatever it carries (it
     * gives money back); a completion or void takes its amount from a hold or sale authorized
     * before, and a refund is a credit the card does not authorize: their field 55, where they
     * carry one, is the chip's of another moment, not a promise about this amount.
     */
    public static boolean compares(TransactionType type) {
        return type == TransactionType.PURCHASE || type == TransactionType.PREAUTH;
    }

    /**
     * The first of 9F02 and 5F2A, at the top level of well-formed BER-TLV {@code tlv} (every
     * occurrence, should a tag come twice), that contradicts {@code amountMinor} (field 4) or
     * {@code currency} (field 49, three digits); empty when both agree or are absent.
     */
    public static Optional<Contradiction> contradiction(byte[] tlv, long amountMinor, String currency) {
        TlvReader reader = new TlvReader().wrap(Unpooled.wrappedBuffer(tlv), 0, tlv.length);
        while (reader.next()) {
            if (reader.tag() == Contradiction.AMOUNT.tag && !amountIs(reader, amountMinor)) {
                return Optional.of(Contradiction.AMOUNT);
            }
            if (reader.tag() == Contradiction.CURRENCY.tag && !currencyIs(reader, currency)) {
                return Optional.of(Contradiction.CURRENCY);
            }
        }
        return Optional.empty();
    }

    private static boolean amountIs(TlvReader amount, long amountMinor) {
        return amount.valueLength() == AMOUNT_BYTES
                && digitsOf(amount).equals(String.format(Locale.ROOT, "%012d", amountMinor));
    }

    private static boolean currencyIs(TlvReader code, String currency) {
        // n3 right-aligned in four digits: the first is the pad, 0
        return code.valueLength() == CURRENCY_BYTES && currency != null && digitsOf(code).equals("0" + currency);
    }

    /**
     * The tag's packed BCD value as its digits: two hexadecimal characters a byte, so a nibble that
     * is no digit (A-F) shows as a letter and can equal no field's digits.
     */
    private static String digitsOf(TlvReader tag) {
        return ByteBufUtil.hexDump(tag.buffer(), tag.valueOffset(), tag.valueLength()).toUpperCase(Locale.ROOT);
    }
}
