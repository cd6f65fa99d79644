package io.isoswitch.core.net;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The switch's event loops: epoll where the native transport loads (Linux), NIO elsewhere. One
 * place decides, so servers and clients always pair a group with its matching channel classes.
 */
public final class EventLoops implements AutoCloseable {
    private final boolean epoll;
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;

    private EventLoops(boolean epoll, int workerThreads) {
        this.epoll = epoll;
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.acceptors = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("iso-accept"), factory);
        this.workers = new MultiThreadIoEventLoopGroup(workerThreads, new DefaultThreadFactory("iso-io"), factory);
    }

    /** Event loops on the best transport available, with {@code workerThreads} I/O threads (0 = Netty's default). */
    public static EventLoops create(int workerThreads) {
        if (workerThreads < 0) {
            throw new IllegalArgumentException("workerThreads must be 0 (default) or positive, was " + workerThreads);
        }
        return new EventLoops(Epoll.isAvailable(), workerThreads);
    }

    public boolean isEpoll() {
        return epoll;
    }

    public EventLoopGroup acceptors() {
        return acceptors;
    }

    public EventLoopGroup workers() {
        return workers;
    }

    public Class<? extends ServerSocketChannel> serverChannel() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public Class<? extends SocketChannel> clientChannel() {
        return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    @Override
    public void close() {
        acceptors.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
