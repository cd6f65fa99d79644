package io.isoswitch.core.listener;

import io.isoswitch.core.config.ListenerConfig;
import io.isoswitch.core.metrics.SwitchMetrics;
import io.isoswitch.core.net.EventLoops;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.isoswitch.core.tls.HandshakeWatch;
import io.isoswitch.core.tls.TlsContexts;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelGroupFuture;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One terminal port: accepts connections within the listener's caps (in all, and per remote address), frames the stream by the
 * dialect's length header (and TPDU/header), closes idle connections, and runs each connection's
 * requests through the processor.
 *
 * <pre>
 * limit -> drain gate -> [tls -> handshake watch] -> idle -> flush consolidation -> frame decoder -> frame encoder -> terminal connection
 * </pre>
 *
 * <p>With {@code tls} configured the port speaks only TLS; a plain port and a TLS port for the
 * same dialect are two listeners side by side.
 */
public final class TerminalListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TerminalListener.class);
    /** Answers written in one event-loop pass are flushed together (one syscall) up to this many. */
    private static final int FLUSHES_TO_CONSOLIDATE = 64;

    private final ListenerConfig config;
    private final Channel channel;
    private final ConnectionLimiter limiter;
    private final ChannelGroup connections;
    private final DrainGate gate;

    private TerminalListener(ListenerConfig config, Channel channel, ConnectionLimiter limiter, ChannelGroup connections,
                             DrainGate gate) {
        this.config = config;
        this.channel = channel;
        this.limiter = limiter;
        this.connections = connections;
        this.gate = gate;
    }

    /** Binds the listener's port (0 binds any free port, for tests) and starts accepting. */
    public static TerminalListener start(ListenerConfig config, EventLoops loops, RequestProcessor processor, SwitchMetrics metrics) {
        return start(config, loops, processor, metrics, Clock.systemDefaultZone());
    }

    /**
     * Binds and starts accepting; {@code hostClock} (in the business zone) gives the local time and
     * date UnionPay answers carry.
     */
    public static TerminalListener start(ListenerConfig config, EventLoops loops, RequestProcessor processor, SwitchMetrics metrics,
                                         Clock hostClock) {
        DialectProfile dialect = DialectProfile.of(config);
        ConnectionLimiter limiter = new ConnectionLimiter(config.name(), config.maxConnections(), config.maxConnectionsPerAddress(),
                open -> metrics.connectionRefused(config.name()), held -> metrics.connectionRefusedForAddress(config.name()));
        metrics.connections(config.name(), limiter, ConnectionLimiter::openConnections);
        metrics.listening(config.name(), dialect.name());
        SslContext tls = config.tls() == null ? null : TlsContexts.server(config.tls(), "listeners[" + config.name() + "].tls");
        HandshakeWatch handshakes = tls == null ? null : HandshakeWatch.listener(config.name(), metrics.registry());
        ChannelGroup connections = new DefaultChannelGroup(config.name(), GlobalEventExecutor.INSTANCE);
        DrainGate gate = new DrainGate();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(loops.acceptors(), loops.workers())
                .channel(loops.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                // a terminal that shuts its output down (half-closes) after its requests still gets their
                // answers: TerminalConnection closes once it has answered what it read
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        ch.pipeline().addLast("limit", limiter).addLast("drain", gate);
                        if (tls != null) {
                            ch.pipeline().addLast("tls", tls.newHandler(ch.alloc())).addLast("handshake", handshakes);
                        }
                        ch.pipeline()
                                .addLast("idle", new IdleStateHandler(config.idleTimeoutMs(), 0, 0, TimeUnit.MILLISECONDS))
                                .addLast("flush", new FlushConsolidationHandler(FLUSHES_TO_CONSOLIDATE, true))
                                .addLast("deframe", dialect.framing().newDecoder())
                                .addLast("frame", dialect.framing().encoder())
                                .addLast("terminal", new TerminalConnection(dialect, processor, metrics,
                                        config.maxInFlightPerConnection(), hostClock));
                    }
                });
        ChannelFuture binding = bootstrap.bind(config.host(), config.port()).awaitUninterruptibly();
        if (!binding.isSuccess()) {
            // name the port: "Address already in use" alone does not say which of the listeners it was
            throw new IllegalStateException("listener " + config.name() + " (" + config.dialect() + ") cannot listen on "
                    + config.host() + ":" + config.port(), binding.cause());
        }
        Channel bound = binding.channel();
        LOG.info("listening for {} terminals on {}{}", config.dialect(), bound.localAddress(), tls == null ? "" : " (TLS)");
        return new TerminalListener(config, bound, limiter, connections, gate);
    }

    public ListenerConfig config() {
        return config;
    }

    /** The port actually bound. */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    public int openConnections() {
        return limiter.openConnections();
    }

    /**
     * First step of a drain: stop accepting connections and stop reading requests on the open ones
     * (what they send now is discarded unread: never processed, so never owed an answer); requests
     * already read go on to their answers.
     */
    public void stopTakingRequests() {
        // the gate first: once the port refuses connections, no request read later can start
        gate.close();
        channel.close().syncUninterruptibly();
    }

    /** Last step of a drain: closes every terminal connection of this listener. */
    public ChannelGroupFuture closeConnections() {
        return connections.close();
    }

    /** Stops accepting; connections already open are left to finish (the drain closes them). */
    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}
