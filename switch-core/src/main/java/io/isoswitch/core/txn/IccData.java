package io.isoswitch.core.txn;

import io.isoswitch.codec.IsoMessageView;
import io.isoswitch.codec.spec.FieldSpec;
import io.isoswitch.codec.tlv.EmvTags;
import io.isoswitch.codec.tlv.TlvException;
import io.isoswitch.codec.tlv.TlvReader;
import io.isoswitch.codec.tlv.TlvWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * EMV chip data (field 55, BER-TLV; docs/field55.md) as the switch forwards it: the bytes exactly
 * as they came, once the codec's {@link TlvReader} has walked every element, nested templates
 * included. The switch changes no byte: the issuer authenticates the card on the terminal's bytes
 * (ARQC 9F26 over 9F02, 9F37, 95, 9F36...), the terminal checks the issuer's (ARPC 91, scripts
 * 71/72). Of the terminal's tags it reads only 9F02 and 5F2A, to compare them with the request's
 * fields ({@link IccCrossCheck}).
 *
 * <p>Field 55 may hold card data (5A PAN, 57 track 2 equivalent): it is never logged, journaled or
 * put into an exception; a {@link TlvException} names the tag path and offset only.
 */
public final class IccData {
    /** ICC data. */
    public static final int FIELD = 55;
    /** Templates nest one or two deep in practice (71 -> 86); deeper is refused rather than recursed. */
    private static final int MAX_DEPTH = 8;
    private static final int ISSUER_AUTHENTICATION_DATA = 0x91;
    private static final int ISSUER_SCRIPT_1 = 0x71;
    private static final int ISSUER_SCRIPT_2 = 0x72;
    private static final int ISSUER_SCRIPT_RESULTS = 0xDF31;

    private IccData() {
    }

    /**
     * Field 55's bytes, checked; null when the message carries none (absent or empty), or when its
     * dialect does not declare field 55 as binary (iso87ascii's is jPOS's {@code LLLCHAR}, text
     * that BER-TLV bytes do not fit), so that it is not forwarded.
     *
     * @throws TlvException when the bytes are not well-formed BER-TLV
     */
    public static byte[] read(IsoMessageView message) {
        if (!message.has(FIELD) || !binary(message.spec().field(FIELD))) {
            return null;
        }
        byte[] bytes = message.getBytes(FIELD);
        if (bytes.length == 0) {
            return null;
        }
        check(bytes);
        return bytes;
    }

    /** Whether {@code field} carries raw bytes (and so BER-TLV as it is). */
    public static boolean binary(FieldSpec field) {
        return field != null && field.binary();
    }

    /**
     * Walks every element of {@code tlv}, constructed ones into their children.
     *
     * @throws TlvException at the first malformed element
     */
    public static void check(byte[] tlv) {
        walk(new TlvReader().wrap(Unpooled.wrappedBuffer(tlv), 0, tlv.length), 1);
    }

    /**
     * The elements of well-formed {@code tlv} that may be stored: primitive tags {@link EmvTags}
     * names and does not mark as card data (9F10, 95, 9F26, 9F36...), byte for byte in their
     * order; 5A, 57 and the other card-data tags, tags it does not know (they could hold anything)
     * and templates are left out. Null when nothing is left.
     */
    public static byte[] withoutCardData(byte[] tlv) {
        if (tlv == null) {
            return null;
        }
        ByteBuf kept = Unpooled.buffer(tlv.length);
        TlvWriter writer = new TlvWriter().wrap(kept);
        TlvReader reader = new TlvReader().wrap(Unpooled.wrappedBuffer(tlv), 0, tlv.length);
        while (reader.next()) {
            if (!reader.isConstructed() && !EmvTags.mustMask(reader.tag())) {
                writer.copy(reader);
            }
        }
        return kept.readableBytes() == 0 ? null : ByteBufUtil.getBytes(kept);
    }

    /**
     * The issuer's tags a repeat of the transaction needs, from a well-formed issuer field 55: 91
     * (issuer authentication data, the ARPC) and the script templates 71 and 72, byte for byte in
     * their order. They hold no card data, so the journal keeps them ({@code Outcome.responseData})
     * and a repeat answered from it carries them. Null when there are none.
     */
    public static byte[] issuerTags(byte[] tlv) {
        if (tlv == null) {
            return null;
        }
        ByteBuf kept = Unpooled.buffer(tlv.length);
        TlvWriter writer = new TlvWriter().wrap(kept);
        TlvReader reader = new TlvReader().wrap(Unpooled.wrappedBuffer(tlv), 0, tlv.length);
        while (reader.next()) {
            int tag = reader.tag();
            if (tag == ISSUER_AUTHENTICATION_DATA || tag == ISSUER_SCRIPT_1 || tag == ISSUER_SCRIPT_2) {
                writer.copy(reader);
            }
        }
        return kept.readableBytes() == 0 ? null : ByteBufUtil.getBytes(kept);
    }

    /**
     * What a script result notification's DF31 says the issuer scripts did, from well-formed field
     * 55 bytes (or null): its first byte's high nibble is 0 not performed, 1 failed, 2 successful
     * (EMV Book 3, issuer script results); "unreadable" when there is no DF31 or another value.
     */
    public static String scriptResult(byte[] tlv) {
        if (tlv == null) {
            return "unreadable";
        }
        TlvReader reader = new TlvReader().wrap(Unpooled.wrappedBuffer(tlv), 0, tlv.length);
        if (!reader.seek(ISSUER_SCRIPT_RESULTS) || reader.valueLength() == 0) {
            return "unreadable";
        }
        return switch ((reader.buffer().getByte(reader.valueOffset()) >> 4) & 0x0F) {
            case 0 -> "not_performed";
            case 1 -> "failed";
            case 2 -> "successful";
            default -> "unreadable";
        };
    }

    private static void walk(TlvReader reader, int depth) {
        while (reader.next()) {
            if (reader.isConstructed()) {
                if (depth >= MAX_DEPTH) {
                    throw new TlvException(reader.tagPath(), reader.elementOffset(),
                            "templates nested at most " + MAX_DEPTH + " deep", "deeper nesting");
                }
                walk(new TlvReader().wrapValueOf(reader), depth + 1);
            }
        }
    }
}
