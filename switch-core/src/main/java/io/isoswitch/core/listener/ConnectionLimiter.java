package io.isoswitch.core.listener;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps the connections one listener holds at once, in all and from any one remote address. A
 * connection beyond either cap is closed as soon as it is accepted, before it can send anything;
 * its counts are released when it closes. The per-address cap keeps one host (a misbehaving
 * terminal that redials without closing, or an attacker) from taking every slot of the listener
 * and locking the real terminals out. One instance is shared by every channel of a listener.
 */
@ChannelHandler.Sharable
public final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimiter.class);
    /** The address a connection was counted under; absent on a refused connection, which took no slot. */
    private static final AttributeKey<Object> COUNTED = AttributeKey.valueOf(ConnectionLimiter.class, "counted");
    /** An IPv6 peer is counted by its /64: the first 8 bytes of its address. */
    private static final int IPV6_NETWORK_BYTES = 8;
    /** Refusals are logged at most once a second per listener: a flood of connections must not flood the log. */
    private static final long LOG_INTERVAL_NANOS = 1_000_000_000L;

    private final String listener;
    private final int maxConnections;
    private final int maxPerAddress;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<Object, Integer> openByAddress = new ConcurrentHashMap<>();
    private final IntConsumer onRefused;
    private final IntConsumer onRefusedForAddress;
    private final AtomicLong nextLogNanos = new AtomicLong(System.nanoTime());
    private final AtomicInteger unlogged = new AtomicInteger();

    /** A listener-wide cap only (any one address may take every slot). */
    public ConnectionLimiter(String listener, int maxConnections, IntConsumer onRefused) {
        this(listener, maxConnections, Integer.MAX_VALUE, onRefused, open -> { });
    }

    /**
     * @param listener            the listener's name, for the log
     * @param maxConnections      connections allowed at once
     * @param maxPerAddress       connections allowed at once from one remote IP address
     * @param onRefused           told the listener's cap each time a connection is refused because it is full (a metric)
     * @param onRefusedForAddress told the per-address cap each time a connection is refused because its address holds that many
     */
    public ConnectionLimiter(String listener, int maxConnections, int maxPerAddress, IntConsumer onRefused,
                             IntConsumer onRefusedForAddress) {
        if (maxConnections <= 0) {
            throw new IllegalArgumentException("maxConnections must be positive, was " + maxConnections);
        }
        if (maxPerAddress <= 0) {
            throw new IllegalArgumentException("maxPerAddress must be positive, was " + maxPerAddress);
        }
        this.listener = listener;
        this.maxConnections = maxConnections;
        this.maxPerAddress = maxPerAddress;
        this.onRefused = onRefused;
        this.onRefusedForAddress = onRefusedForAddress;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        Object address = addressOf(ctx.channel().remoteAddress());
        boolean[] taken = {false};
        openByAddress.compute(address, (a, count) -> {
            int held = count == null ? 0 : count;
            taken[0] = held < maxPerAddress;
            return taken[0] ? held + 1 : count;
        });
        if (!taken[0]) {
            onRefusedForAddress.accept(maxPerAddress);
            logRefusal("{} connections from that address already open", ctx, maxPerAddress);
            ctx.close();
            return;
        }
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            release(address);
            onRefused.accept(maxConnections);
            logRefusal("{} connections already open", ctx, maxConnections);
            ctx.close();
            return;
        }
        ctx.channel().attr(COUNTED).set(address);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // a refused connection was counted out already: it must not release a slot it never took
        Object address = ctx.channel().attr(COUNTED).getAndSet(null);
        if (address != null) {
            open.decrementAndGet();
            release(address);
            ctx.fireChannelInactive();
        }
    }

    /**
     * One WARN a second at most, saying how many refusals went unlogged since the one before; the
     * metrics count every refusal. A flood of 1,500 connections had written a line each.
     */
    private void logRefusal(String why, ChannelHandlerContext ctx, int cap) {
        long now = System.nanoTime();
        long next = nextLogNanos.get();
        if (now - next < 0 || !nextLogNanos.compareAndSet(next, now + LOG_INTERVAL_NANOS)) {
            unlogged.incrementAndGet();
            return;
        }
        int since = unlogged.getAndSet(0);
        LOG.warn("listener {} refused a connection from {}: " + why + "{}", listener, ctx.channel().remoteAddress(), cap,
                since == 0 ? "" : " (and " + since + " more refused since the last such line)");
    }

    private void release(Object address) {
        openByAddress.computeIfPresent(address, (a, count) -> count > 1 ? count - 1 : null);
    }

    /**
     * What one peer is counted under: the host of an IPv4 peer (its port differs per connection);
     * the /64 network of an IPv6 peer, since one host is commonly given a whole /64 and could
     * otherwise open each connection from another address of it; any other address as it is.
     */
    static Object addressOf(SocketAddress remote) {
        if (!(remote instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            return String.valueOf(remote);
        }
        InetAddress address = inet.getAddress();
        if (address instanceof Inet6Address) {
            byte[] network = Arrays.copyOf(address.getAddress(), IPV6_NETWORK_BYTES);
            return HexFormat.of().formatHex(network) + "::/64";
        }
        return address;
    }

    /** Connections open on this listener now. */
    public int openConnections() {
        return open.get();
    }

    /** Remote addresses holding at least one connection now. */
    public int openAddresses() {
        return openByAddress.size();
    }
}
