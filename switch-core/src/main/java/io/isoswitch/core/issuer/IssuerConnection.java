package io.isoswitch.core.issuer;

import io.isoswitch.core.net.EventLoops;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One persistent connection of a link and its supervisor: connect, sign on (the answer brings
 * this connection's zone keys, imported under the ZMK), then carry requests; echo after {@code echoIntervalMs} of silence; on any
 * close or failure, fail the requests written on it and reconnect after an exponential backoff
 * with jitter; sign off on an orderly stop.
 *
 * <pre>
 * DISCONNECTED -> CONNECTING -> SIGNING_ON -> SIGNED_ON -> SIGNING_OFF -> CLOSED
 *      ^              |             |             |
 *      +--- backoff --+-------------+-------------+   (connect failed; sign-on refused, timed out or
 *                                                      bad keys; echo unanswered; connection dropped)
 * </pre>
 *
 * <p>Every state change runs on the connection's own event loop; {@link #state()} may be read
 * from any thread.
 */
public final class IssuerConnection {
    private static final Logger LOG = LoggerFactory.getLogger(IssuerConnection.class);

    /** Where a connection is in its life. Only SIGNED_ON carries requests. */
    public enum State { DISCONNECTED, CONNECTING, SIGNING_ON, SIGNED_ON, SIGNING_OFF, CLOSED }

    private final IssuerLink link;
    private final String name;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final ReconnectBackoff backoff;
    private final Set<MatchKey> inFlight = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile State state = State.DISCONNECTED;
    private volatile Channel channel;
    private volatile WorkingKeys keys;
    private int failures;
    private boolean stopping;
    private boolean echoOutstanding;
    private ScheduledFuture<?> reconnect;

    IssuerConnection(IssuerLink link, int index, EventLoops loops) {
        this.link = link;
        IssuerConfig config = link.config();
        this.name = config.issuerId() + "#" + index;
        this.loop = loops.workers().next();
        this.backoff = new ReconnectBackoff(config.reconnectBackoffMinMs(), config.reconnectBackoffMaxMs(),
                new SplittableRandom());
        this.bootstrap = new Bootstrap().group(loop).channel(loops.clientChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeoutMs())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .remoteAddress(config.host(), config.port())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (link.tls() != null) {
                            ch.pipeline().addLast(link.tls().newHandler(ch.alloc(), config.host(), config.port()), link.handshakes());
                        }
                        ch.pipeline().addLast(link.framing().newDecoder(), link.framing().encoder(),
                                new IdleStateHandler(config.echoIntervalMs(), 0, 0, TimeUnit.MILLISECONDS),
                                new IssuerConnectionHandler(IssuerConnection.this, link));
                    }
                });
    }

    public State state() {
        return state;
    }

    boolean isSignedOn() {
        Channel current = channel;
        return state == State.SIGNED_ON && current != null && current.isActive();
    }

    /** The zone keys of the current sign-on, or null while not signed on. */
    public WorkingKeys keys() {
        return state == State.SIGNED_ON ? keys : null;
    }

    /** The event loop the connection's channel runs on. */
    EventLoop loop() {
        return loop;
    }

    /** The open channel, or null. */
    Channel channel() {
        return channel;
    }

    void start() {
        loop.execute(this::connect);
    }

    private void connect() {
        reconnect = null;
        if (stopping) {
            return;
        }
        state = State.CONNECTING;
        bootstrap.connect().addListener(future -> {
            if (!future.isSuccess()) {
                LOG.warn("issuer connection {}: connect failed: {}", name, future.cause().toString());
                retry();
            }
        });
    }

    /** The channel is open (from the handler, on the loop): sign on. */
    void connected(Channel ch) {
        channel = ch;
        if (stopping) {
            ch.close();
            return;
        }
        state = State.SIGNING_ON;
        NetworkManagement network = link.network();
        link.sendNetwork(this, network.signOn()).whenCompleteAsync((answer, failure) -> {
            if (ch != channel) {
                return;
            }
            if (failure != null || !network.accepted(answer.responseCode())) {
                LOG.warn("issuer connection {}: sign-on failed: {}", name,
                        failure != null ? failure.getMessage() : "answered with code " + answer.responseCode());
                ch.close();
                return;
            }
            WorkingKeys received;
            try {
                received = link.zoneKeys().fromSignOn(answer.toMessage().getString(48));
            } catch (KeyExchangeException e) {
                LOG.warn("issuer connection {}: {}", name, e.getMessage());
                ch.close();
                return;
            }
            keys = received;
            failures = 0;
            state = State.SIGNED_ON;
            link.connectionChanged();
            LOG.info("issuer connection {}: signed on{}", name,
                    received.zonePinKey() == null ? "" : ", ZPK kcv " + received.zonePinKey().kcv());
        }, loop);
    }

    /** Nothing read for the echo interval (on the loop): ask the issuer whether it is still there. */
    void idle() {
        Channel ch = channel;
        if (state != State.SIGNED_ON || echoOutstanding || ch == null) {
            return;
        }
        echoOutstanding = true;
        NetworkManagement network = link.network();
        link.sendNetwork(this, network.echo()).whenCompleteAsync((answer, failure) -> {
            echoOutstanding = false;
            if (failure != null || !network.accepted(answer.responseCode())) {
                LOG.warn("issuer connection {}: echo failed ({}); reconnecting", name,
                        failure != null ? failure.getMessage() : "code " + answer.responseCode());
                ch.close();
            }
        }, loop);
    }

    /** The channel closed (from the handler, on the loop): fail its requests in flight and reconnect. */
    void disconnected(Channel ch) {
        if (ch != channel) {
            return;
        }
        channel = null;
        keys = null;
        echoOutstanding = false;
        int failed = 0;
        for (MatchKey key : inFlight) {
            if (link.connectionLost(key, failed == 0)) {
                failed++;
            }
        }
        inFlight.clear();
        link.connectionChanged();
        if (failed > 0) {
            LOG.warn("issuer connection {}: closed with {} request(s) in flight; they are failed for reversal", name, failed);
        }
        if (stopping) {
            state = State.CLOSED;
            closed.complete(null);
        } else {
            LOG.warn("issuer connection {}: closed", name);
            retry();
        }
    }

    private void retry() {
        if (stopping) {
            state = State.CLOSED;
            closed.complete(null);
            return;
        }
        state = State.DISCONNECTED;
        long delay = backoff.delayMs(failures++);
        link.reconnectScheduled();
        LOG.info("issuer connection {}: reconnecting in {} ms", name, delay);
        reconnect = loop.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    void track(MatchKey key) {
        inFlight.add(key);
    }

    void untrack(MatchKey key) {
        inFlight.remove(key);
    }

    /** Signs off if signed on, then closes; completes once closed. */
    CompletableFuture<Void> stop() {
        loop.execute(() -> {
            stopping = true;
            if (reconnect != null) {
                reconnect.cancel(false);
                reconnect = null;
            }
            Channel ch = channel;
            if (ch == null) {
                if (state != State.CONNECTING) {
                    state = State.CLOSED;
                    closed.complete(null);
                }
                return;
            }
            if (state == State.SIGNED_ON) {
                state = State.SIGNING_OFF;
                link.sendNetwork(this, link.network().signOff()).whenCompleteAsync((answer, failure) -> ch.close(), loop);
            } else {
                ch.close();
            }
        });
        return closed;
    }

    @Override
    public String toString() {
        return "IssuerConnection[" + name + ", " + state + "]";
    }
}
