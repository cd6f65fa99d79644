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
 *      ^              |             |          |    ^
 *      |              |             |          v    |  (key exchange interval)
 *      |              |             |       DRAINING_FOR_KEYS -> EXCHANGING_KEYS
 *      |              |             |          |                  |
 *      +--- backoff --+-------------+----------+------------------+  (connect failed; sign-on refused,
 *                                        timed out or bad keys; echo unanswered; connection dropped)
 * </pre>
 *
 * <p><b>Key exchange on a live connection.</b> Zone keys are session keys: after
 * {@code keyExchangeIntervalMs} a connection signs on again on the same channel for new ones. It
 * first takes no new requests and lets those it carries be answered (DRAINING_FOR_KEYS), so that no
 * request is in flight under keys the issuer is replacing; then it sends the sign-on
 * (EXCHANGING_KEYS) and carries requests again under the new keys. Of a link's connections one
 * exchanges at a time, while another is signed on, so traffic never stops; a link of one
 * connection has a gap of about one round trip, as at a reconnect.
 *
 * <p>Every state change runs on the connection's own event loop; {@link #state()} may be read
 * from any thread.
 */
public final class IssuerConnection {
    private static final Logger LOG = LoggerFactory.getLogger(IssuerConnection.class);

    /** Where a connection is in its life. Only SIGNED_ON carries requests. */
    public enum State { DISCONNECTED, CONNECTING, SIGNING_ON, SIGNED_ON, DRAINING_FOR_KEYS, EXCHANGING_KEYS, SIGNING_OFF, CLOSED }

    /** How often a connection waiting to exchange keys looks again (for its requests to drain, for another to be signed on). */
    private static final long KEY_EXCHANGE_POLL_MS = 5;
    private static final long KEY_EXCHANGE_RETRY_MS = 1_000;

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
    private ScheduledFuture<?> keyExchange;

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

    /** Signed on, or exchanging its keys on the open channel (a planned pause of a few milliseconds, not an outage). */
    boolean isSignedOnOrExchangingKeys() {
        Channel current = channel;
        return (state == State.SIGNED_ON || state == State.DRAINING_FOR_KEYS || state == State.EXCHANGING_KEYS)
                && current != null && current.isActive();
    }

    /**
     * Whether a request routed here may still be written: signed on, or draining for a key exchange
     * (a request chosen before the drain began goes out under the keys the issuer still holds, and
     * the exchange waits for its answer). Not once the sign-on for new keys is on the wire.
     */
    boolean takesRequests() {
        return state == State.SIGNED_ON || state == State.DRAINING_FOR_KEYS;
    }

    /**
     * The zone keys of the current sign-on, or null while not signed on. While keys are exchanged
     * they are the old ones, which still authenticate answers to requests sent under them.
     */
    public WorkingKeys keys() {
        return state == State.SIGNED_ON || state == State.DRAINING_FOR_KEYS || state == State.EXCHANGING_KEYS ? keys : null;
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
        signOn(ch, false);
    }

    /**
     * Sends the sign-on on {@code ch} and takes the zone keys its answer brings; any failure closes
     * the channel (and so reconnects). {@code exchange}: a key exchange on a connection already
     * signed on, rather than the first sign-on of a new channel.
     */
    private void signOn(Channel ch, boolean exchange) {
        NetworkManagement network = link.network();
        link.sendNetwork(this, network.signOn()).whenCompleteAsync((answer, failure) -> {
            if (ch != channel) {
                return;
            }
            if (failure != null || !network.accepted(answer.responseCode())) {
                LOG.warn("issuer connection {}: {} failed: {}", name, exchange ? "key exchange" : "sign-on",
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
            if (exchange && link.zoneKeys().enabled()) {
                // a sign-on again after the issuer's sign-off brings keys only where a ZMK is set
                link.keysExchanged();
            }
            LOG.info("issuer connection {}: {}{}", name, exchange ? "zone keys exchanged" : "signed on",
                    received.zonePinKey() == null ? "" : ", ZPK kcv " + received.zonePinKey().kcv());
            scheduleKeyExchange(ch, link.config().keyExchangeIntervalMs());
        }, loop);
    }

    /**
     * Takes the zone keys the issuer sent in its own sign-on or key change (field 48, as in a
     * sign-on answer, under the ZMK) for this connection, on its event loop. Refused while the
     * connection is not signed on (its own sign-on's answer brings keys) and when the keys do not
     * import; then the connection keeps the keys it had.
     *
     * @return whether the connection now uses the issuer's keys
     */
    boolean takeIssuerKeys(String field48) {
        if (keys() == null) {
            LOG.warn("issuer connection {}: refused zone keys from the issuer: not signed on", name);
            return false;
        }
        WorkingKeys received;
        try {
            received = link.zoneKeys().fromSignOn(field48);
        } catch (KeyExchangeException e) {
            LOG.warn("issuer connection {}: refused zone keys from the issuer: {}", name, e.getMessage());
            return false;
        }
        keys = received;
        link.keysExchanged();
        LOG.info("issuer connection {}: zone keys changed by the issuer{}", name,
                received.zonePinKey() == null ? "" : ", ZPK kcv " + received.zonePinKey().kcv());
        return true;
    }

    /**
     * The issuer signed this connection off (its own {@code 0800} / 002, on the loop): it takes no
     * more requests here. The connection stops taking them at once, and once those it carries are
     * answered or timed out it signs on again (as for a key exchange); an issuer still away refuses
     * that sign-on, the connection closes and reconnects after the backoff, and with no connection
     * signed on the link is down (stand-in, secondary issuer). Before, the switch answered 00 and
     * kept sending: each request timed out (91) and was reversed while the link counted as up.
     */
    void signedOffByIssuer() {
        Channel ch = channel;
        if (ch == null || state != State.SIGNED_ON || stopping) {
            return;
        }
        LOG.warn("issuer connection {}: signed off by the issuer; signing on again once its requests are answered", name);
        cancelKeyExchange();
        state = State.DRAINING_FOR_KEYS;
        link.connectionChanged();
        exchangeWhenDrained(ch);
    }

    /** Keys exchanged at sign-on (a ZMK configured) are exchanged again after the interval. */
    private void scheduleKeyExchange(Channel ch, long delayMs) {
        if (link.config().zmkKeyBlock() == null || stopping) {
            return;
        }
        keyExchange = loop.schedule(() -> startKeyExchange(ch), delayMs, TimeUnit.MILLISECONDS);
    }

    /**
     * Due for new keys: waits while no other connection of the link is signed on (one exchanges at a
     * time, and traffic goes on over the others), then stops taking requests and drains.
     */
    private void startKeyExchange(Channel ch) {
        keyExchange = null;
        if (ch != channel || state != State.SIGNED_ON || stopping) {
            return;
        }
        if (link.config().connections() > 1 && !link.anotherSignedOn(this)) {
            scheduleKeyExchange(ch, KEY_EXCHANGE_RETRY_MS);
            return;
        }
        state = State.DRAINING_FOR_KEYS;
        link.connectionChanged();
        exchangeWhenDrained(ch);
    }

    /** Requests written here are answered or timed out within the request timeout, so this ends. */
    private void exchangeWhenDrained(Channel ch) {
        keyExchange = null;
        if (ch != channel || state != State.DRAINING_FOR_KEYS || stopping) {
            return;
        }
        if (!inFlight.isEmpty()) {
            keyExchange = loop.schedule(() -> exchangeWhenDrained(ch), KEY_EXCHANGE_POLL_MS, TimeUnit.MILLISECONDS);
            return;
        }
        state = State.EXCHANGING_KEYS;
        signOn(ch, true);
    }

    private void cancelKeyExchange() {
        if (keyExchange != null) {
            keyExchange.cancel(false);
            keyExchange = null;
        }
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
        cancelKeyExchange();
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
            cancelKeyExchange();
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
            if (state == State.SIGNED_ON || state == State.DRAINING_FOR_KEYS) {
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
