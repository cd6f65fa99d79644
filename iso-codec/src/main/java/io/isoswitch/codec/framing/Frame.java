package io.isoswitch.codec.framing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * One frame without its length header: a fixed-size prefix (for {@code cup-pos} the 5-byte TPDU
 * and the 6-byte application header; none for the plain dialects) followed by the message body.
 *
 * <pre>
 * length header | prefix (prefixLength bytes) | body (the ISO 8583 message)
 *   not kept    | &lt;---------------- content() ------------------------&gt;
 * </pre>
 *
 * <p><b>Ownership.</b> A frame holds one reference to its {@link #content()}. On the inbound side
 * the decoder's content is a retained slice of the received bytes (never a copy); whoever receives
 * the frame releases it exactly once ({@code SimpleChannelInboundHandler} does). {@link #prefix()}
 * and {@link #body()} are unretained slices, valid until the frame is released: retain them (or
 * take {@code retainedSlice}s) to keep them longer. On the outbound side the encoder takes
 * ownership of a frame written to it.
 */
public final class Frame extends DefaultByteBufHolder {
    private final int prefixLength;

    /**
     * @param content      prefix and body; this frame owns the reference passed in
     * @param prefixLength how many of the content's first readable bytes are the prefix
     */
    public Frame(ByteBuf content, int prefixLength) {
        super(content);
        if (prefixLength < 0 || prefixLength > content.readableBytes()) {
            throw new IllegalArgumentException("prefixLength must be 0.." + content.readableBytes()
                    + ", was " + prefixLength);
        }
        this.prefixLength = prefixLength;
    }

    /** Bytes of prefix (TPDU and header) before the body. */
    public int prefixLength() {
        return prefixLength;
    }

    /** The prefix as an unretained slice (empty when the framing has none). */
    public ByteBuf prefix() {
        ByteBuf content = content();
        return content.slice(content.readerIndex(), prefixLength);
    }

    /** The body (the ISO 8583 message) as an unretained slice. */
    public ByteBuf body() {
        ByteBuf content = content();
        return content.slice(content.readerIndex() + prefixLength, content.readableBytes() - prefixLength);
    }

    /** Bytes of body. */
    public int bodyLength() {
        return content().readableBytes() - prefixLength;
    }

    @Override
    public Frame replace(ByteBuf content) {
        return new Frame(content, prefixLength);
    }

    @Override
    public Frame retain() {
        super.retain();
        return this;
    }

    @Override
    public Frame touch(Object hint) {
        super.touch(hint);
        return this;
    }

    /** Sizes only: a frame's bytes are card data. */
    @Override
    public String toString() {
        return "Frame[prefix=" + prefixLength + " bytes, body=" + bodyLength() + " bytes]";
    }
}
