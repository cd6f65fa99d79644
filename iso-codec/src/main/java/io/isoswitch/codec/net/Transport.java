package io.isoswitch.codec.net;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.util.Locale;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Netty transport: the I/O handler of its event loops and its matching channel classes, which
 * must always be used together. {@link #select(String)} picks one from a preference, falling back
 * down the list (io_uring, then epoll, then NIO) to the first that loads on this machine: io_uring
 * and epoll need Linux and Netty's native library, and io_uring a kernel that allows it
 * ({@code /proc/sys/kernel/io_uring_disabled}, seccomp in containers). NIO runs anywhere.
 *
 * <p>The preference comes from the system property {@value #PROPERTY} ({@code auto}, {@code io_uring},
 * {@code epoll} or {@code nio}; {@code auto} when unset), or from a caller's own option.
 */
public enum Transport {
    IO_URING("io_uring"),
    EPOLL("epoll"),
    NIO("nio");

    /** The system property naming the preferred transport. */
    public static final String PROPERTY = "iso.transport";
    /** The preference meaning "the best that loads". */
    public static final String AUTO = "auto";

    private static final Logger LOG = LoggerFactory.getLogger(Transport.class);

    private final String label;

    Transport(String label) {
        this.label = label;
    }

    /** The name used in configuration and logs. */
    public String label() {
        return label;
    }

    /** Whether this transport loads here (native library present, kernel willing). */
    public boolean isAvailable() {
        return switch (this) {
            case IO_URING -> IoUring.isAvailable();
            case EPOLL -> Epoll.isAvailable();
            case NIO -> true;
        };
    }

    /** Why this transport does not load here, or null when it does. */
    public Throwable unavailabilityCause() {
        return switch (this) {
            case IO_URING -> IoUring.unavailabilityCause();
            case EPOLL -> Epoll.unavailabilityCause();
            case NIO -> null;
        };
    }

    /** The I/O handler factory of this transport's event loops. */
    public IoHandlerFactory ioHandlerFactory() {
        return switch (this) {
            case IO_URING -> IoUringIoHandler.newFactory();
            case EPOLL -> EpollIoHandler.newFactory();
            case NIO -> NioIoHandler.newFactory();
        };
    }

    public Class<? extends ServerSocketChannel> serverChannel() {
        return switch (this) {
            case IO_URING -> IoUringServerSocketChannel.class;
            case EPOLL -> EpollServerSocketChannel.class;
            case NIO -> NioServerSocketChannel.class;
        };
    }

    public Class<? extends SocketChannel> socketChannel() {
        return switch (this) {
            case IO_URING -> IoUringSocketChannel.class;
            case EPOLL -> EpollSocketChannel.class;
            case NIO -> NioSocketChannel.class;
        };
    }

    /** The transport the system property {@value #PROPERTY} asks for, or the best available. */
    public static Transport fromSystemProperty() {
        return select(System.getProperty(PROPERTY, AUTO));
    }

    /**
     * The transport {@code preference} names if it loads here, else the first below it that does
     * (logged); {@code auto}, null or blank: the first of io_uring, epoll, NIO that loads.
     *
     * @throws IllegalArgumentException for a name that is none of these
     */
    public static Transport select(String preference) {
        return select(preference, Transport::isAvailable);
    }

    /** {@link #select(String)} with {@code available} saying which transports load (tests stand in for the machine). */
    static Transport select(String preference, Predicate<Transport> available) {
        Transport wanted = parse(preference);
        for (Transport candidate : values()) {
            if (candidate.ordinal() >= wanted.ordinal() && (candidate == NIO || available.test(candidate))) {
                if (candidate != wanted && !isAuto(preference)) {
                    LOG.warn("transport {} asked for but not available here ({}); using {}", wanted.label,
                            wanted.unavailabilityCause(), candidate.label);
                }
                return candidate;
            }
        }
        throw new AssertionError("NIO is always available");
    }

    private static boolean isAuto(String preference) {
        return preference == null || preference.isBlank() || AUTO.equalsIgnoreCase(preference.trim());
    }

    /** The transport named {@code preference}; {@code auto}, null or blank: the first of the list. */
    static Transport parse(String preference) {
        if (isAuto(preference)) {
            return IO_URING;
        }
        String name = preference.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        for (Transport transport : values()) {
            if (transport.label.equals(name)) {
                return transport;
            }
        }
        throw new IllegalArgumentException(PROPERTY + " = " + preference + ": expected auto, io_uring, epoll or nio");
    }
}
