package io.isoswitch.codec.cup;

import io.isoswitch.codec.tlv.TlvException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Field 62 of a UnionPay POS parameter download answer (0810, 60.3 {@code 360}, cup-pos.md 4.2):
 * two-digit codes, each followed by a value of fixed width, no length. Text is GBK, as Chinese
 * POS terminals print it, space-padded on the right and cut at a character boundary.
 *
 * <pre>
 * "11" supported transactions  n32   one '1'/'0' per transaction kind (positions acquirer-defined)
 * "12" merchant name           ans40
 * "13" advertising text        ans120
 * </pre>
 */
public final class ParameterDownloadField {
    /** GBK: the character set of Chinese POS receipts; in every JDK (jdk.charsets). */
    public static final Charset TEXT = Charset.forName("GBK");
    public static final String SUPPORTED_TRANSACTIONS = "11";
    public static final String MERCHANT_NAME = "12";
    public static final String ADVERTISEMENT = "13";

    /** Code -> width in bytes, in the order they are written. */
    private static final Map<String, Integer> WIDTHS = new LinkedHashMap<>();

    static {
        WIDTHS.put(SUPPORTED_TRANSACTIONS, 32);
        WIDTHS.put(MERCHANT_NAME, 40);
        WIDTHS.put(ADVERTISEMENT, 120);
    }

    private ParameterDownloadField() {
    }

    /**
     * The field for these values; each is cut to its width (never inside a GBK character) and
     * padded with spaces. Characters GBK cannot write become '?'.
     *
     * @param supportedTransactions up to 32 characters '0' or '1'
     */
    public static byte[] build(String supportedTransactions, String merchantName, String advertisement) {
        if (!supportedTransactions.matches("[01]{0,32}")) {
            throw new IllegalArgumentException("supportedTransactions must be up to 32 characters 0 or 1, was '"
                    + supportedTransactions + "'");
        }
        ByteBuffer out = ByteBuffer.allocate(WIDTHS.values().stream().mapToInt(w -> w + 2).sum());
        put(out, SUPPORTED_TRANSACTIONS, supportedTransactions);
        put(out, MERCHANT_NAME, merchantName);
        put(out, ADVERTISEMENT, advertisement);
        return out.array();
    }

    /** The values by code, trailing spaces removed; unknown codes are malformed. */
    public static Map<String, String> read(byte[] field62) {
        Map<String, String> values = new LinkedHashMap<>();
        int at = 0;
        while (field62 != null && at < field62.length) {
            if (field62.length - at < 2) {
                throw new TlvException(EmvDownloadField.FIELD, at, "a two-digit code", "1 byte");
            }
            String code = new String(field62, at, 2, java.nio.charset.StandardCharsets.US_ASCII);
            Integer width = WIDTHS.get(code);
            if (width == null) {
                throw new TlvException(EmvDownloadField.FIELD, at, "code 11, 12 or 13", "another code");
            }
            if (field62.length - at - 2 < width) {
                throw new TlvException(EmvDownloadField.FIELD + " -> " + code, at, width + " bytes", (field62.length - at - 2) + " bytes");
            }
            values.put(code, new String(field62, at + 2, width, TEXT).stripTrailing());
            at += 2 + width;
        }
        return values;
    }

    private static void put(ByteBuffer out, String code, String value) {
        int width = WIDTHS.get(code);
        out.put(code.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        ByteBuffer slot = out.slice(out.position(), width);
        CharsetEncoder encoder = TEXT.newEncoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        // an encoder stops before a character that does not fit whole: the cut never splits one
        encoder.encode(CharBuffer.wrap(value == null ? "" : value), slot, true);
        while (slot.hasRemaining()) {
            slot.put((byte) ' ');
        }
        out.position(out.position() + width);
    }
}
