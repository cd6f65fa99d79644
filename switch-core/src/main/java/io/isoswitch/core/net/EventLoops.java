package io.isoswitch.core.net;

import io.isoswitch.codec.net.Transport;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The switch's event loops on one {@link Transport} (io_uring, epoll or NIO, the best that loads
 * unless the system property {@value Transport#PROPERTY} says otherwise). One place decides, so
 * servers and clients always pair a group with its matching channel classes.
 */
public final class EventLoops implements AutoCloseable {
    private final Transport transport;
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;

    private EventLoops(Transport transport, int workerThreads) {
        this.transport = transport;
        IoHandlerFactory factory = transport.ioHandlerFactory();
        this.acceptors = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("iso-accept"), factory);
        this.workers = new MultiThreadIoEventLoopGroup(workerThreads == 0 ? defaultWorkerThreads() : workerThreads,
                new DefaultThreadFactory("iso-io"), factory);
    }

    /**
     * One I/O thread per core unless {@code io.netty.eventLoopThreads} says otherwise. Netty's own
     * default is two per core; on the 2-core machines we measure on, the two extra loops added
     * context switches and about 8% of the switch's CPU per card transaction (bench/RESULTS.md).
     */
    static int defaultWorkerThreads() {
        return Math.max(1, Integer.getInteger("io.netty.eventLoopThreads", Runtime.getRuntime().availableProcessors()));
    }

    /** Event loops on the transport {@value Transport#PROPERTY} asks for (default: the best available), with {@code workerThreads} I/O threads (0 = one per core). */
    public static EventLoops create(int workerThreads) {
        return create(Transport.fromSystemProperty(), workerThreads);
    }

    /** Event loops on {@code transport}, which must be available here. */
    public static EventLoops create(Transport transport, int workerThreads) {
        if (workerThreads < 0) {
            throw new IllegalArgumentException("workerThreads must be 0 (default) or positive, was " + workerThreads);
        }
        if (!transport.isAvailable()) {
            throw new IllegalArgumentException("transport " + transport.label() + " is not available here: "
                    + transport.unavailabilityCause());
        }
        return new EventLoops(transport, workerThreads);
    }

    public Transport transport() {
        return transport;
    }

    public EventLoopGroup acceptors() {
        return acceptors;
    }

    public EventLoopGroup workers() {
        return workers;
    }

    public Class<? extends ServerSocketChannel> serverChannel() {
        return transport.serverChannel();
    }

    public Class<? extends SocketChannel> clientChannel() {
        return transport.socketChannel();
    }

    @Override
    public void close() {
        acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
