package io.isoswitch.core.issuer;

import io.isoswitch.codec.IsoMessageView;
import io.isoswitch.codec.IsoMessageWriter;
import io.isoswitch.security.Hsm;
import io.isoswitch.security.HsmException;
import io.isoswitch.security.MacAlgorithm;
import io.isoswitch.security.SecureKey;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * The MAC of an issuer link (docs/issuer-links.md): when the issuer sent a ZAK at sign-on, every
 * financial request carries an ANSI X9.19 MAC under it in field 64 (128 when a secondary bitmap is
 * needed), and every financial answer must carry one that verifies. An answer damaged on the way,
 * or forged, is then dropped like one that does not decode: its request times out and is reversed,
 * rather than a flipped response code turning an approval the issuer booked into a decline.
 */
final class LinkMacs {
    static final MacAlgorithm ALGORITHM = MacAlgorithm.ANSI_X9_19;
    private static final int MAC_BYTES = 8;
    private static final byte[] PLACEHOLDER = new byte[MAC_BYTES];

    private final Hsm hsm;
    private final ThreadLocal<IsoMessageView> views;

    LinkMacs(Hsm hsm, ThreadLocal<IsoMessageView> views) {
        this.hsm = hsm;
        this.views = views;
    }

    /**
     * Adds the MAC field to the message {@code writer} has begun in {@code out} at {@code start},
     * finishes it, and writes the MAC over everything before the field's content.
     */
    void finishSigned(IsoMessageWriter writer, ByteBuf out, int start, SecureKey zak) {
        int field = writer.lastField() < 64 ? 64 : 128;
        writer.bytes(field, PLACEHOLDER);
        int length = writer.finish();
        int contentOffset = views.get().wrap(out.slice(start, length)).contentOffset(field);
        byte[] mac = hsm.generateMac(zak, ALGORITHM, ByteBufUtil.getBytes(out, start, contentOffset), 0, contentOffset);
        int contentLength = length - contentOffset;
        if (contentLength == MAC_BYTES) {
            out.setBytes(start + contentOffset, mac, 0, MAC_BYTES);
        } else if (contentLength == 2 * MAC_BYTES) {
            out.setBytes(start + contentOffset, HexFormat.of().withUpperCase().formatHex(mac, 0, MAC_BYTES).getBytes(StandardCharsets.US_ASCII));
        } else {
            throw new IllegalStateException("field " + field + " of this dialect holds " + contentLength
                    + " bytes, not an 8-byte MAC");
        }
    }

    /**
     * Whether {@code answer} (a whole message, MTI onwards, read by {@code view} already) carries a
     * MAC in field 64 or 128 that verifies under {@code zak}.
     */
    boolean verifies(IsoMessageView view, byte[] answer, SecureKey zak) {
        int field = view.has(128) ? 128 : view.has(64) ? 64 : 0;
        if (field == 0) {
            return false;
        }
        byte[] mac = view.getBytes(field);
        if (mac.length != MAC_BYTES) {
            return false;
        }
        try {
            return hsm.verifyMac(zak, ALGORITHM, answer, 0, view.contentOffset(field), mac);
        } catch (HsmException e) {
            return false;
        }
    }
}
