package io.isoswitch.codec.framing;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
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
 * <p>A frame begun must arrive whole within {@link FramingOptions#frameTimeoutMs()} (when set):
 * a terminal that sends a length header and then only part of its frame would otherwise hold the
 * connection, and a slot of the listener, until the idle timeout. Past it the connection is closed
 * as for a bad header (logged at WARN, the {@link FrameException} event with
 * {@link FrameException#incomplete()} true); bytes trickling in do not restart the clock, only a
 * frame completed does. While the connection does not read (its in-flight limit reached) the
 * clock waits: the rest of the frame may be in the socket's buffer, unread.
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
    /** Frames (and keep-alives) cut so far: a change tells that a frame was completed. */
    private long framesCut;
    /** The clock of the partial frame now buffered, or null when none is. */
    private ScheduledFuture<?> partialFrameClock;

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
        framesCut++;
        if (!frame.isReadable()) {
            frame.release();
            keepAlivesSeen++;
            return null;
        }
        return new Frame(frame, options.prefixLength());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        long cutBefore = framesCut;
        super.channelRead(ctx, msg);
        watchPartialFrame(ctx, framesCut != cutBefore);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
        stopClock();
        super.handlerRemoved0(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        stopClock();
        super.channelInactive(ctx);
    }

    /**
     * Starts the clock when a partial frame is left buffered, restarts it when a frame was
     * completed since (what is left began after it), stops it when nothing is left.
     */
    private void watchPartialFrame(ChannelHandlerContext ctx, boolean frameCompleted) {
        if (options.frameTimeoutMs() == 0) {
            return;
        }
        boolean partial = !failed && actualReadableBytes() > 0;
        if (partialFrameClock != null && (frameCompleted || !partial)) {
            stopClock();
        }
        if (partial && partialFrameClock == null) {
            startClock(ctx, streamOffset);
        }
    }

    private void startClock(ChannelHandlerContext ctx, long frameOffset) {
        partialFrameClock = ctx.executor().schedule(() -> partialFrameTimedOut(ctx, frameOffset), options.frameTimeoutMs(),
                TimeUnit.MILLISECONDS);
    }

    private void stopClock() {
        if (partialFrameClock != null) {
            partialFrameClock.cancel(false);
            partialFrameClock = null;
        }
    }

    private void partialFrameTimedOut(ChannelHandlerContext ctx, long frameOffset) {
        partialFrameClock = null;
        if (failed || !ctx.channel().isActive() || streamOffset != frameOffset || actualReadableBytes() == 0) {
            return;
        }
        if (!ctx.channel().config().isAutoRead()) {
            // not reading (back-pressure): the rest may be waiting in the socket, so wait with it
            startClock(ctx, frameOffset);
            return;
        }
        ByteBuf buffered = internalBuffer();
        int received = buffered.readableBytes();
        int expected = received < header.size() ? -1 : header.read(buffered, buffered.readerIndex()) + header.size();
        reject(ctx, buffered, FrameException.incomplete(frameOffset, options.frameTimeoutMs(), received, expected));
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
