package io.isoswitch.codec.framing;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Puts the length header in front of an outbound {@link Frame} (prefix and body) or {@link
 * ByteBuf} (everything after the header). The header goes out as its own small buffer followed by
 * the content itself: nothing is copied.
 *
 * <p>Ownership: the encoder takes the message written to it and releases it once it is on its way.
 * An empty frame or one longer than {@code maxFrameLengthBytes} fails the write with a {@link
 * FrameException}; the switch never sends keep-alives, so an empty frame is a bug upstream.
 *
 * <p>Sharable: it holds no state.
 */
@ChannelHandler.Sharable
public final class LengthPrefixedFrameEncoder extends MessageToMessageEncoder<Object> {
    private final LengthHeader header;
    private final int maxFrameLengthBytes;

    /** An encoder writing {@code header} and refusing frames longer than the options allow. */
    public LengthPrefixedFrameEncoder(LengthHeader header, FramingOptions options) {
        super(Object.class);
        header.requireCanExpress(options.maxFrameLengthBytes());
        this.header = header;
        this.maxFrameLengthBytes = options.maxFrameLengthBytes();
    }

    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof Frame || msg instanceof ByteBuf;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) {
        ByteBuf content = msg instanceof Frame frame ? frame.content() : (ByteBuf) msg;
        int length = content.readableBytes();
        if (length == 0 || length > maxFrameLengthBytes) {
            throw new FrameException(-1, "1 to " + maxFrameLengthBytes + " bytes", length + " bytes");
        }
        ByteBuf lengthHeader = ctx.alloc().buffer(header.size());
        header.write(length, lengthHeader);
        out.add(lengthHeader);
        // the superclass releases msg after encode(); the retained content goes on to the socket
        out.add(content.retain());
    }
}
