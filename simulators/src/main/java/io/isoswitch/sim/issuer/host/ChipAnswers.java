package io.isoswitch.sim.issuer.host;

import io.isoswitch.codec.tlv.TlvException;
import io.isoswitch.codec.tlv.TlvReader;
import io.isoswitch.codec.tlv.TlvWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * The simulated issuer's EMV chip data (field 55): an authorization or financial request whose
 * field 55 carries an ARQC (9F26, 8 bytes) is answered with a field 55 holding tag 91, the issuer
 * authentication data, so that a switch's round trip of chip data can be tested end to end.
 *
 * <pre>
 * 91 0A | ARPC (8 bytes)                       | ARC (2 bytes)
 *       | ARQC XOR (ARC || 00 00 00 00 00 00)  | field 39 as ASCII, e.g. "00" = 30 30
 * </pre>
 *
 * <p><b>Simulated:</b> this is the shape of EMV Book 2's ARPC method 1 without its last step, the
 * 3DES encipherment under the card's session key: the simulator holds no issuer master keys, so a
 * real card would refuse this ARPC. A test computes it with {@link #arpc} and compares.
 *
 * <p>Tests can also read the last field 55 a request brought ({@link #lastRequestIccData}: test
 * cards only, kept in memory, never logged) and make the issuer answer a malformed field 55
 * ({@link #answerMalformed}). Shared by every connection of one host; thread-safe.
 */
public final class ChipAnswers {
    /** ICC data. */
    static final int FIELD = 55;
    private static final int ARQC = 0x9F26;
    private static final int ISSUER_AUTHENTICATION_DATA = 0x91;
    private static final int CRYPTOGRAM_BYTES = 8;
    /** Tag 91 claiming 10 bytes with only 2 following: what {@link #answerMalformed} sends. */
    private static final byte[] MALFORMED = {(byte) 0x91, 0x0A, 0x30, 0x30};

    private volatile byte[] lastRequestIccData;
    private volatile boolean malformed;

    /** The field 55 of the last request that carried one, as it arrived, or null. */
    public byte[] lastRequestIccData() {
        byte[] last = lastRequestIccData;
        return last == null ? null : last.clone();
    }

    /** Whether answers carry a field 55 that is not well-formed BER-TLV (an issuer's bug, for tests). */
    public void answerMalformed(boolean answerMalformed) {
        this.malformed = answerMalformed;
    }

    /** Notes the field 55 of a request (reversals included), or nothing when it has none. */
    void received(byte[] requestIccData) {
        if (requestIccData != null) {
            lastRequestIccData = requestIccData.clone();
        }
    }

    /** ARPC as this simulator computes it: {@code ARQC XOR (ARC || 00 00 00 00 00 00)}. */
    public static byte[] arpc(byte[] arqc, String responseCode) {
        if (arqc.length != CRYPTOGRAM_BYTES) {
            throw new IllegalArgumentException("arqc: expected 8 bytes, found " + arqc.length);
        }
        byte[] arc = responseCode.getBytes(StandardCharsets.US_ASCII);
        byte[] arpc = arqc.clone();
        arpc[0] ^= arc[0];
        arpc[1] ^= arc[1];
        return arpc;
    }

    /**
     * Field 55 of the answer to a request carrying {@code requestIccData}, or null for none: tag 91
     * when the request has an 8-byte ARQC; nothing when it has none or its field 55 does not read.
     */
    byte[] answer(byte[] requestIccData, String responseCode) {
        if (requestIccData == null) {
            return null;
        }
        if (malformed) {
            return MALFORMED.clone();
        }
        byte[] arqc = arqc(requestIccData);
        if (arqc == null) {
            return null;
        }
        byte[] arc = responseCode.getBytes(StandardCharsets.US_ASCII);
        byte[] value = new byte[CRYPTOGRAM_BYTES + arc.length];
        System.arraycopy(arpc(arqc, responseCode), 0, value, 0, CRYPTOGRAM_BYTES);
        System.arraycopy(arc, 0, value, CRYPTOGRAM_BYTES, arc.length);
        ByteBuf out = Unpooled.buffer(value.length + 2);
        new TlvWriter().wrap(out).put(ISSUER_AUTHENTICATION_DATA, value);
        return ByteBufUtil.getBytes(out);
    }

    private static byte[] arqc(byte[] iccData) {
        try {
            TlvReader reader = new TlvReader().wrap(Unpooled.wrappedBuffer(iccData), 0, iccData.length);
            if (!reader.seek(ARQC) || reader.valueLength() != CRYPTOGRAM_BYTES) {
                return null;
            }
            byte[] arqc = new byte[CRYPTOGRAM_BYTES];
            reader.copyValue(arqc, 0);
            return arqc;
        } catch (TlvException e) {
            return null;
        }
    }
}
