package io.isoswitch.core.listener;

import io.isoswitch.codec.IsoMessageView;
import io.isoswitch.codec.IsoMessageWriter;
import io.isoswitch.codec.spec.ContentEncoding;
import io.isoswitch.codec.spec.FieldSpec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes an answer: the response MTI, the request's echo fields copied raw (never decoded and
 * re-encoded), the fields the pipeline added, field 39, and the MAC last. One composer per
 * connection (the writer is reusable, not thread-safe); runs on the connection's event loop.
 *
 * <p>The MAC is computed after the bitmap is final, because the bitmap is inside the MAC block
 * (cup-pos.md §9.3): field 64 is written as zeros, the message finished, then the MAC block signed
 * and the zeros overwritten.
 *
 * <p>UnionPay POS answers carry the host's local time and date (fields 12 and 13, cup-pos.md §3):
 * terminals print them on the receipt and set their clocks by them. A request's own 12 and 13 are
 * echoed instead when it carries them. They say when the journal took the transaction where the
 * decision names that instant, so that a repeat answered from the journal is the first answer again.
 *
 * <p>A UnionPay POS answer to a journaled transaction also carries its settlement date (field 15):
 * the business date the journal took it on, the date its batch settles. A repeat answered from the
 * journal after the cutover says the original's date, not today's. And it echoes the request's
 * security control (53), as cup-pos.md §5 lists a purchase answer's fields. ISO 8583:1987 answers
 * carry neither: a third-party terminal may parse only the fields it expects in an answer (j8583's
 * parse map fails on one it was not told of), and those answers never had them.
 */
final class ResponseComposer {
    /**
     * Fields a response echoes from its request when the request carries them (ISO 8583:1987
     * usage). Never track 2 (35): it holds the card's verification value, which the terminal has
     * already and no answer needs, so echoing it would only send it over the wire once more.
     */
    static final int[] ECHO_FIELDS = {2, 3, 4, 7, 11, 12, 13, 14, 22, 23, 24, 25, 32, 37, 41, 42, 49, 60, 70};
    /**
     * Echo fields of the secondary bitmap: 70 (network management code) and 90 (a reversal's original
     * data elements, which ISO 8583:1987 acquirer hosts echo in the 0410 so that the terminal can tie
     * the answer to the sale it reversed).
     */
    private static final int NETWORK_CODE = 70;
    private static final int ORIGINAL_DATA = 90;
    private static final int MAC_FIELD = 64;
    private static final int SECONDARY_MAC_FIELD = 128;
    private static final int MAC_BYTES = 8;
    private static final int RESPONSE_CODE = 39;
    private static final int LOCAL_TIME = 12;
    private static final int LOCAL_DATE = 13;
    private static final int SETTLEMENT_DATE = 15;
    private static final int SECURITY_CONTROL = 53;
    private static final int ICC_DATA = 55;
    private static final Logger LOG = LoggerFactory.getLogger(ResponseComposer.class);

    private final IsoMessageWriter writer;
    private final boolean unionPay;
    private final Clock hostClock;

    /**
     * @param writer    the dialect's writer
     * @param unionPay  whether answers follow UnionPay POS conventions (the host's local time and
     *                  date, the settlement date, 53 echoed); ISO 8583 answers only echo the request's
     * @param hostClock the host's clock in its business zone, for the local time and date of UnionPay answers
     */
    ResponseComposer(IsoMessageWriter writer, boolean unionPay, Clock hostClock) {
        this.writer = writer;
        this.unionPay = unionPay;
        this.hostClock = hostClock;
    }

    /** The answer's body (without framing) in a new buffer the caller owns. */
    ByteBuf compose(IsoMessageView request, Decision decision, ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(request.frameLength() + 64);
        try {
            int start = out.writerIndex();
            writer.begin(out, ResponseMti.of(request.mti()));
            Map<Integer, Object> added = decision.added();
            // which fields the decision adds, as bits: a map lookup for each of 127 fields per
            // answer (boxing the field number past 127) cost more than the answer's own fields
            long[] addedBits = new long[3];
            for (Integer field : added.keySet()) {
                if (field >= 0 && field <= 128) {
                    addedBits[field >>> 6] |= 1L << (field & 63);
                }
            }
            int echo = 0;
            LocalDateTime hostNow = !unionPay || request.has(LOCAL_TIME) || request.has(LOCAL_DATE) ? null
                    : decision.hostTime() == null ? LocalDateTime.now(hostClock)
                    : LocalDateTime.ofInstant(decision.hostTime(), hostClock.getZone());
            for (int field = 2; field < MAC_FIELD; field++) {
                Object value = (addedBits[field >>> 6] & 1L << (field & 63)) == 0 ? null : added.get(field);
                if (value != null) {
                    set(field, value);
                } else if (hostNow != null && field == LOCAL_TIME) {
                    writer.field(LOCAL_TIME, hostNow.getHour() * 10_000L + hostNow.getMinute() * 100 + hostNow.getSecond());
                } else if (hostNow != null && field == LOCAL_DATE) {
                    writer.field(LOCAL_DATE, hostNow.getMonthValue() * 100L + hostNow.getDayOfMonth());
                } else if (field == SETTLEMENT_DATE && unionPay && decision.settlementDate() != null) {
                    settlementDate(decision.settlementDate());
                } else if (field == SECURITY_CONTROL && unionPay && request.has(SECURITY_CONTROL)) {
                    writer.copy(request, SECURITY_CONTROL);
                } else if (field == RESPONSE_CODE) {
                    writer.field(RESPONSE_CODE, decision.responseCode());
                } else if (echo < ECHO_FIELDS.length && ECHO_FIELDS[echo] == field) {
                    if (request.has(field)) {
                        writer.copy(request, field);
                    }
                }
                while (echo < ECHO_FIELDS.length && ECHO_FIELDS[echo] <= field) {
                    echo++;
                }
            }
            boolean macced = decision.mac() != null;
            // the MAC is the last field: 64, or 128 when the answer has a secondary bitmap (as for requests)
            int macField = secondary(request, addedBits) ? SECONDARY_MAC_FIELD : MAC_FIELD;
            if (macced && macField == MAC_FIELD) {
                writer.bytes(MAC_FIELD, new byte[MAC_BYTES]);
            }
            for (int field = MAC_FIELD + 1; field < SECONDARY_MAC_FIELD; field++) {
                Object value = (addedBits[field >>> 6] & 1L << (field & 63)) == 0 ? null : added.get(field);
                if (value != null) {
                    set(field, value);
                } else if ((field == NETWORK_CODE || field == ORIGINAL_DATA) && request.has(field)) {
                    writer.copy(request, field);
                }
            }
            Object last = (addedBits[2] & 1L) == 0 ? null : added.get(SECONDARY_MAC_FIELD);
            if (macced && macField == SECONDARY_MAC_FIELD) {
                writer.bytes(SECONDARY_MAC_FIELD, new byte[MAC_BYTES]);
            } else if (last != null) {
                set(SECONDARY_MAC_FIELD, last);
            }
            writer.finish();
            if (macced) {
                sign(out, start, decision.mac(), writer.spec().field(macField));
            }
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /** MMDD (cup-pos.md §3). */
    private void settlementDate(LocalDate date) {
        writer.field(SETTLEMENT_DATE, date.getMonthValue() * 100L + date.getDayOfMonth());
    }

    /** Whether the answer carries a field from 65 to 127: an echoed 70 or 90, or one the decision adds. */
    private static boolean secondary(IsoMessageView request, long[] addedBits) {
        long added = addedBits[1] & ~1L; // 65..127: bit 0 of this word is field 64, bit 63 field 127
        return added != 0 || request.has(NETWORK_CODE) || request.has(ORIGINAL_DATA);
    }

    private void set(int field, Object value) {
        if (field == ICC_DATA && !fits((byte[]) value)) {
            // an issuer's chip data this dialect cannot carry (cup-pos holds 255 bytes, an issuer
            // link 999; iso87ascii's 55 is text): the answer goes without it rather than not at all
            LOG.warn("dropped the issuer's field 55 ({} bytes) from an answer in {}: the dialect cannot carry it",
                    ((byte[]) value).length, writer.spec().name());
            return;
        }
        if (value instanceof byte[] bytes) {
            writer.bytes(field, bytes);
        } else {
            writer.field(field, value.toString());
        }
    }

    private boolean fits(byte[] iccData) {
        FieldSpec spec = writer.spec().field(ICC_DATA);
        return spec != null && spec.binary() && iccData.length <= spec.maxLength();
    }

    /**
     * The MAC field (64 or 128) is the last field written; the MAC block is everything before it. Its 8 bytes
     * take 16 characters on the wire where the dialect writes binary fields as hex (iso87ascii).
     */
    private static void sign(ByteBuf out, int start, MacSigner signer, FieldSpec macField) {
        int macBlockLength = out.writerIndex() - start - macField.wireLength(MAC_BYTES);
        byte[] block = ByteBufUtil.getBytes(out, start, macBlockLength);
        byte[] mac = Arrays.copyOf(signer.sign(block, 0, block.length), MAC_BYTES);
        byte[] onWire = macField.encoding() == ContentEncoding.HEX
                ? HexFormat.of().withUpperCase().formatHex(mac).getBytes(StandardCharsets.US_ASCII) : mac;
        out.setBytes(start + macBlockLength, onWire);
    }
}
