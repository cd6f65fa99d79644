package io.isoswitch.sim.issuer.host;

import io.isoswitch.codec.framing.Framing;
import io.isoswitch.codec.framing.FramingOptions;
import io.isoswitch.codec.net.Transport;
import io.isoswitch.codec.spec.Dialects;
import io.isoswitch.codec.spec.MessageSpec;
import io.isoswitch.sim.fault.FaultInjector;
import io.isoswitch.sim.issuer.IssuerBank;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A running issuer host simulator: one simulated bank listening on one port, speaking
 * {@code iso87binary} with a 2-byte binary length header, over TLS when its config has a context. Start one per bank (they are
 * independent); close it to stop listening and drop its connections.
 *
 * <pre>{@code
 * try (IssuerHost host = IssuerHost.start(IssuerHostConfig.local(bank, keys))) {
 *     int port = host.port();          // point the switch's issuer link here
 *     host.faults().setPlan(...);      // misbehave on purpose, while running
 * }
 * }</pre>
 */
public final class IssuerHost implements AutoCloseable {
    /** Event-loop threads per host: a simulated bank does little work per message. */
    public static final int EVENT_LOOP_THREADS = 1;

    private final IssuerHostConfig config;
    private final EventLoopGroup group;
    private final Channel serverChannel;
    private final AtomicLong connectionsAccepted = new AtomicLong();
    private final ChipAnswers chip = new ChipAnswers();
    private final ChannelGroup connections = new DefaultChannelGroup("issuer-connections", GlobalEventExecutor.INSTANCE);

    private IssuerHost(IssuerHostConfig config, Clock clock) {
        this.config = config;
        Transport transport = Transport.fromSystemProperty();
        this.group = new MultiThreadIoEventLoopGroup(EVENT_LOOP_THREADS, transport.ioHandlerFactory());
        MessageSpec spec = Dialects.iso87binary();
        Framing framing = Framing.of("binary2", FramingOptions.plain());
        try {
            this.serverChannel = new ServerBootstrap()
                    .group(group)
                    .channel(transport.serverChannel())
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            connectionsAccepted.incrementAndGet();
                            connections.add(channel);
                            if (config.tls() != null) {
                                channel.pipeline().addLast(config.tls().newHandler(channel.alloc()));
                            }
                            // answers written while reading a batch of requests leave in one
                            // flush (one write syscall) at the end of the read, not one each
                            channel.pipeline().addLast(new FlushConsolidationHandler(
                                            FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true),
                                    framing.newDecoder(), framing.encoder(), new IssuerHandler(spec, config, clock, chip));
                        }
                    })
                    .bind(config.bindHost(), config.port())
                    .syncUninterruptibly()
                    .channel();
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    /** Starts listening; returns once bound. */
    public static IssuerHost start(IssuerHostConfig config) {
        return start(config, Clock.systemUTC());
    }

    /** Starts listening with a clock for dates taken when a request has none. */
    public static IssuerHost start(IssuerHostConfig config, Clock clock) {
        return new IssuerHost(Objects.requireNonNull(config, "config"), Objects.requireNonNull(clock, "clock"));
    }

    /** The port bound (the real one when the config asked for 0). */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** The address bound. */
    public InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** The simulated bank (cards, ledger, online switch). */
    public IssuerBank bank() {
        return config.bank();
    }

    /** The fault injector (swap its plan while running; read its counters). */
    public FaultInjector faults() {
        return config.faults();
    }

    /** The chip data (field 55) answers: tag 91 for an ARQC; what the last request sent, for tests. */
    public ChipAnswers chip() {
        return chip;
    }

    /** Connections accepted since start. */
    public long connectionsAccepted() {
        return connectionsAccepted.get();
    }

    /** Stops listening, closes every connection and waits for the event loop to end. */
    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        // close every accepted connection explicitly, so peers see the FIN at once rather than
        // learning of the stop only when an echo goes unanswered
        connections.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
