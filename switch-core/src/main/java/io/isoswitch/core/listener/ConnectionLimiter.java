package io.isoswitch.core.listener;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps the connections one listener holds at once. A connection beyond the cap is closed as soon
 * as it is accepted, before it can send anything; the count is released when a connection closes.
 * One instance is shared by every channel of a listener.
 */
@ChannelHandler.Sharable
public final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimiter.class);

    private final String listener;
    private final int maxConnections;
    private final AtomicInteger open = new AtomicInteger();
    private final IntConsumer onRefused;

    /**
     * @param listener       the listener's name, for the log
     * @param maxConnections connections allowed at once
     * @param onRefused      told the count of open connections each time one is refused (a metric)
     */
    public ConnectionLimiter(String listener, int maxConnections, IntConsumer onRefused) {
        if (maxConnections <= 0) {
            throw new IllegalArgumentException("maxConnections must be positive, was " + maxConnections);
        }
        this.listener = listener;
        this.maxConnections = maxConnections;
        this.onRefused = onRefused;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            onRefused.accept(maxConnections);
            LOG.warn("listener {} refused a connection from {}: {} connections already open",
                    listener, ctx.channel().remoteAddress(), maxConnections);
            // counted out already: channelInactive must not release a slot it never took
            ctx.channel().attr(Refused.KEY).set(Boolean.TRUE);
            ctx.close();
            return;
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (ctx.channel().attr(Refused.KEY).get() == null) {
            open.decrementAndGet();
            ctx.fireChannelInactive();
        }
    }

    /** Connections open on this listener now. */
    public int openConnections() {
        return open.get();
    }

    private static final class Refused {
        static final io.netty.util.AttributeKey<Boolean> KEY = io.netty.util.AttributeKey.valueOf(ConnectionLimiter.class, "refused");
    }
}
