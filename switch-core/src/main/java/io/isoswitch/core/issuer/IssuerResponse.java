package io.isoswitch.core.issuer;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.codec.IsoMessageView;
import io.isoswitch.codec.spec.MessageSpec;
import io.netty.buffer.Unpooled;
import java.util.Objects;

/**
 * An issuer's answer, handed from the link's event loop to whoever waits for it. It holds its own
 * copy of the message bytes (one copy of a few hundred bytes): the answer crosses threads and may
 * arrive late, twice or never be collected, and a plain array needs no reference counting on any
 * of those paths. Read it through a caller's reusable view ({@link #wrapIn}) without further copies.
 *
 * <p>{@link #toString()} shows the MTI, STAN and response code only, never card data.
 */
public final class IssuerResponse {
    private final String issuerId;
    private final MessageSpec spec;
    private final String mti;
    private final int stan;
    private final String responseCode;
    private final byte[] body;
    private final byte[] iccData;

    /**
     * @param body    the message bytes (MTI onwards); this response owns the array
     * @param iccData field 55 of the answer, checked as BER-TLV, or null (absent, or malformed and
     *                dropped); this response owns the array
     */
    IssuerResponse(String issuerId, MessageSpec spec, String mti, int stan, String responseCode, byte[] body, byte[] iccData) {
        this.issuerId = Objects.requireNonNull(issuerId, "issuerId");
        this.spec = Objects.requireNonNull(spec, "spec");
        this.mti = Objects.requireNonNull(mti, "mti");
        this.stan = stan;
        this.responseCode = responseCode;
        this.body = Objects.requireNonNull(body, "body");
        this.iccData = iccData;
    }

    /**
     * Field 55 of the answer (the issuer's EMV data: ARPC 91, scripts 71/72) as the issuer sent it,
     * once checked as well-formed BER-TLV; null when the answer had none or had a malformed one. The
     * caller must not modify the array.
     */
    public byte[] iccData() {
        return iccData;
    }

    /** The issuer whose link received the answer (the secondary's id after a failover). */
    public String issuerId() {
        return issuerId;
    }

    public MessageSpec spec() {
        return spec;
    }

    public String mti() {
        return mti;
    }

    /** Field 11: the switch-assigned STAN echoed by the issuer. */
    public int stan() {
        return stan;
    }

    /** Field 39 as text (two characters in 1987 dialects, three digits in 1993), or null if absent. */
    public String responseCode() {
        return responseCode;
    }

    /** Whether field 39 says approved ({@code 00}, or {@code 000} in 1993). */
    public boolean approved() {
        return "00".equals(responseCode) || "000".equals(responseCode);
    }

    /** Wraps the answer in {@code view} (of this answer's dialect) and returns it: zero copy. */
    public IsoMessageView wrapIn(IsoMessageView view) {
        if (view.spec() != spec) {
            throw new IllegalArgumentException("view decodes " + view.spec().name() + ", the answer is " + spec.name());
        }
        return view.wrap(Unpooled.wrappedBuffer(body));
    }

    /** The answer as a mutable message (allocates; for tools and tests). */
    public IsoMessage toMessage() {
        return IsoMessage.decode(spec, body);
    }

    /** Bytes of the message. */
    public int length() {
        return body.length;
    }

    @Override
    public String toString() {
        return "IssuerResponse[issuer=" + issuerId + ", mti=" + mti + ", stan=" + stan + ", responseCode=" + responseCode
                + ", " + body.length + " bytes]";
    }
}
