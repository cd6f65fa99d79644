package io.isoswitch.sim.wire;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.codec.IsoMessageView;
import io.isoswitch.codec.spec.MessageSpec;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.function.Function;

/**
 * MACs over encoded messages. The MAC block is every byte of the message from the MTI up to the
 * MAC field's content, with the MAC field's bit already set in the bitmap (the convention of
 * cup-pos.md 9.3, used here for every dialect). The MAC is field 64, or field 128 when the message
 * has fields beyond 64.
 */
public final class MessageMacs {
    private MessageMacs() {
    }

    /** The field that carries the MAC of {@code message}: 128 when a secondary bitmap is needed. */
    public static int macField(IsoMessage message) {
        return message.fields().stream().anyMatch(f -> f > 64 && f != 128) ? 128 : 64;
    }

    /**
     * Encodes {@code message} with its MAC computed by {@code mac} over the MAC block; leaves the MAC
     * set in {@code message}. {@code mac} returns at least 8 bytes; the first 8 are used.
     */
    public static byte[] encodeSigned(IsoMessage message, MessageSpec spec, Function<byte[], byte[]> mac) {
        int field = macField(message);
        message.unset(field == 64 ? 128 : 64);
        message.set(field, new byte[8]);
        byte[] placeholder = message.encode(spec);
        byte[] block = Arrays.copyOf(placeholder, macOffset(placeholder, spec, field));
        message.set(field, Arrays.copyOf(mac.apply(block), 8));
        return message.encode(spec);
    }

    /** The MAC block of an encoded message that carries a MAC, or {@code null} when it carries none. */
    public static byte[] macBlock(byte[] body, MessageSpec spec) {
        IsoMessageView view = new IsoMessageView(spec).wrap(Unpooled.wrappedBuffer(body));
        int field = view.has(128) ? 128 : view.has(64) ? 64 : 0;
        return field == 0 ? null : Arrays.copyOf(body, view.contentOffset(field));
    }

    /** The MAC carried by an encoded message (its 8 bytes), or {@code null}. */
    public static byte[] mac(byte[] body, MessageSpec spec) {
        IsoMessageView view = new IsoMessageView(spec).wrap(Unpooled.wrappedBuffer(body));
        int field = view.has(128) ? 128 : view.has(64) ? 64 : 0;
        return field == 0 ? null : view.getBytes(field);
    }

    private static int macOffset(byte[] body, MessageSpec spec, int field) {
        return new IsoMessageView(spec).wrap(Unpooled.wrappedBuffer(body)).contentOffset(field);
    }
}
