package io.isoswitch.core.listener;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * Open until the node drains; then every byte a terminal sends is released unread, so no new
 * request starts while the ones in flight finish. Shared by every connection of one listener.
 */
@ChannelHandler.Sharable
final class DrainGate extends ChannelInboundHandlerAdapter {
    private volatile boolean closed;

    void close() {
        closed = true;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closed) {
            // ownership ends here: nothing downstream sees this buffer
            ReferenceCountUtil.release(msg);
            return;
        }
        ctx.fireChannelRead(msg);
    }
}
