package io.isoswitch.core.ops;

import io.isoswitch.core.listener.ConnectionLimiter;
import io.isoswitch.core.net.EventLoops;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * The operations HTTP port (default 8080): serves the endpoints it is given on the switch's own
 * event loops. Requests are small (commands and scrapes), so bodies are capped and idle
 * connections dropped. Its connections are capped too, in all and per remote address: a client
 * that holds connections open (a byte now and then keeps each past the idle timeout) must not
 * take the process's file descriptors, which the terminal listeners need to accept terminals.
 */
public final class OpsHttpServer implements AutoCloseable {
    private static final int MAX_REQUEST_BYTES = 64 * 1024;
    private static final int IDLE_TIMEOUT_SECONDS = 60;
    /** Scrapers, dashboards and operators: a few dozen at most. */
    static final int MAX_CONNECTIONS = 256;
    static final int MAX_CONNECTIONS_PER_ADDRESS = 32;
    /** The name the ops port's refused connections are counted under (the terminal listeners use theirs). */
    public static final String LIMITER_NAME = "ops";

    private final Channel channel;

    private OpsHttpServer(Channel channel) {
        this.channel = channel;
    }

    /** Binds {@code host:port} (port 0: any free port) and starts serving; throws if it cannot bind. */
    public static OpsHttpServer start(String host, int port, EventLoops loops, Map<String, OpsEndpoint> endpoints) {
        return start(host, port, loops, endpoints, () -> { });
    }

    /** As {@link #start(String, int, EventLoops, Map)}; {@code onRefused} is told of each connection refused at accept (a metric). */
    public static OpsHttpServer start(String host, int port, EventLoops loops, Map<String, OpsEndpoint> endpoints, Runnable onRefused) {
        OpsHttpHandler handler = new OpsHttpHandler(endpoints);
        ConnectionLimiter limiter = new ConnectionLimiter(LIMITER_NAME, MAX_CONNECTIONS, MAX_CONNECTIONS_PER_ADDRESS,
                open -> onRefused.run(), held -> onRefused.run());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(loops.acceptors(), loops.workers())
                .channel(loops.serverChannel())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(limiter)
                                .addLast(new ReadTimeoutHandler(IDLE_TIMEOUT_SECONDS))
                                .addLast(new HttpServerCodec())
                                .addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES))
                                .addLast(handler);
                    }
                });
        ChannelFuture binding = bootstrap.bind(host, port).awaitUninterruptibly();
        if (!binding.isSuccess()) {
            throw new IllegalStateException("ops HTTP port cannot listen on " + host + ":" + port, binding.cause());
        }
        return new OpsHttpServer(binding.channel());
    }

    /** The port actually bound (differs from the configured one when that was 0 in tests). */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}
