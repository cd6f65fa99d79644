package io.isoswitch.codec.framing;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.ByteOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts a TCP stream into {@link Frame}s by a length header of any {@link LengthHeader} kind.
 *
 * <p>It reuses Netty's {@link LengthFieldBasedFrameDecoder} for the work that is easy to get
 * wrong (accumulating partial reads, several frames per read, fail-fast on a too-long length,
 * frames as retained slices): only the reading of the header is replaced, which is the extension
 * point that class documents for non-binary lengths.
 *
 * <p>A bad header closes the connection at once and is logged at WARN with the reason and the
 * peer's address (never the bytes): a length beyond {@code maxFrameLengthBytes} (refused as soon
 * as the header arrives, before the body is buffered), an ASCII or BCD header with a non-digit,
 * or a length that does not leave at least one byte after the prefix. Later handlers hear of it
 * through a user event carrying the {@link FrameException} (for metrics); bytes after a bad
 * header are dropped, since the stream can no longer be trusted.
 *
 * <p>A zero length is a keep-alive and is skipped without a frame: several terminal and network
 * controller firmwares send a bare {@code 0000} header to keep a NAT or dial-up line open, and
 * cutting those terminals off would lose real payments; a zero-length frame cannot carry a
 * message, so nothing is lost by ignoring it. {@link #keepAlivesSeen()} counts them.
 *
 * <p>Not sharable: it holds the partial frame of one connection.
 */
public final class LengthPrefixedFrameDecoder extends LengthFieldBasedFrameDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(LengthPrefixedFrameDecoder.class);

    private final LengthHeader header;
    private final FramingOptions options;
    private long streamOffset;
    private long keepAlivesSeen;
    private boolean failed;

    /** A decoder for one connection. */
    public LengthPrefixedFrameDecoder(LengthHeader header, FramingOptions options) {
        super(ByteOrder.BIG_ENDIAN, options.maxFrameLengthBytes() + header.size(), 0, header.size(), 0,
                header.size(), true);
        header.requireCanExpress(options.maxFrameLengthBytes());
        this.header = header;
        this.options = options;
    }

    /** Zero-length keep-alive headers skipped so far on this connection. */
    public long keepAlivesSeen() {
        return keepAlivesSeen;
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return null;
        }
        ByteBuf frame;
        try {
            frame = (ByteBuf) super.decode(ctx, in);
        } catch (FrameException e) {
            reject(ctx, in, e);
            return null;
        } catch (TooLongFrameException | CorruptedFrameException e) {
            // the checks in getUnadjustedFrameLength come first; this is the library's safety net
            reject(ctx, in, new FrameException(streamOffset, "a frame the decoder accepts", e.getClass().getSimpleName()));
            return null;
        }
        if (frame == null) {
            return null;
        }
        streamOffset += header.size() + frame.readableBytes();
        if (!frame.isReadable()) {
            frame.release();
            keepAlivesSeen++;
            return null;
        }
        return new Frame(frame, options.prefixLength());
    }

    @Override
    protected long getUnadjustedFrameLength(ByteBuf buf, int offset, int length, ByteOrder order) {
        int frameLength = header.read(buf, offset);
        if (frameLength < 0) {
            throw new FrameException(streamOffset, header.kindName() + " digits", "bytes " + header.hex(buf, offset));
        }
        if (frameLength > options.maxFrameLengthBytes()) {
            throw new FrameException(streamOffset, "a length of at most " + options.maxFrameLengthBytes(),
                    "length " + frameLength);
        }
        if (frameLength != 0 && frameLength <= options.prefixLength()) {
            throw new FrameException(streamOffset, "a length beyond the " + options.prefixLength() + "-byte prefix",
                    "length " + frameLength);
        }
        return frameLength;
    }

    private void reject(ChannelHandlerContext ctx, ByteBuf in, FrameException reason) {
        failed = true;
        in.skipBytes(in.readableBytes());
        LOG.warn("closing connection from {}: {}", ctx.channel().remoteAddress(), reason.getMessage());
        ctx.fireUserEventTriggered(reason);
        ctx.close();
    }
}
