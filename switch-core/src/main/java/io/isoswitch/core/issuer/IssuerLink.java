package io.isoswitch.core.issuer;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.codec.IsoMessageView;
import io.isoswitch.codec.IsoMessageWriter;
import io.isoswitch.codec.framing.Framing;
import io.isoswitch.codec.framing.FramingOptions;
import io.isoswitch.codec.spec.Dialects;
import io.isoswitch.codec.spec.MessageSpec;
import io.isoswitch.core.net.EventLoops;
import io.isoswitch.core.tls.HandshakeWatch;
import io.isoswitch.core.tls.TlsContexts;
import io.isoswitch.security.Hsm;
import io.isoswitch.security.SecureKey;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One issuer: several persistent connections ({@link IssuerConnection}), each signed on before it
 * carries a request, and the requests waiting for their answers.
 *
 * <p>{@link #send} stamps a request with a switch STAN unique among the link's requests in flight
 * and with the acquiring institution (fields 11, 32, 33), registers it, and writes it on the next
 * signed-on connection in turn. Answers are matched by message class, STAN and field 32
 * ({@link MatchKey}), on whichever connection they arrive; an answer nobody waits for (late,
 * repeated, or for another institution) goes to the unmatched-answer callback, never to a request.
 * Every request gets exactly one outcome: its answer, {@link IssuerTimeoutException},
 * {@link IssuerConnectionLostException}, or at once {@link IssuerUnavailableException} when no
 * connection is signed on. Nothing here blocks: the request is written by the calling thread into
 * a pooled buffer, and Netty writes it from the connection's event loop.
 */
public final class IssuerLink {
    private static final Logger LOG = LoggerFactory.getLogger(IssuerLink.class);

    /** Field 7, MMDDhhmmss, in UTC as networks expect. */
    private static final DateTimeFormatter TRANSMISSION_TIME = DateTimeFormatter.ofPattern("MMddHHmmss").withZone(ZoneOffset.UTC);

    private final IssuerConfig config;
    private final MessageSpec spec;
    private final NetworkManagement network;
    private final Framing framing;
    private final Clock clock;
    private final IssuerLinkMetrics metrics;
    private final Consumer<IssuerResponse> onUnmatched;
    private final PendingRequests<IssuerResponse> pending;
    private volatile StanSource stans = new StanAllocator(0);
    private final Set<Integer> stansInFlight = ConcurrentHashMap.newKeySet();
    private final ThreadLocal<IsoMessageView> checkViews;
    private final ZoneKeyImport zoneKeys;
    private final LinkMacs macs;
    private final List<IssuerConnection> connections = new ArrayList<>();
    private final AtomicInteger cursor = new AtomicInteger();
    private volatile boolean stopping;
    /** Called (on an event loop) each time the link goes from no signed-on connection to one. */
    private final List<Runnable> onUp = new java.util.concurrent.CopyOnWriteArrayList<>();
    private boolean wasUp;
    /** When the link last went down (or was created), for the log of how long it was down. */
    private long downSinceMs;
    private boolean everUp;
    private final SslContext tls;
    private final HandshakeWatch handshakes;

    /**
     * A link, not yet connected ({@link #start()}).
     *
     * @param hsm         imports the zone keys; may be null only when the config has no ZMK
     * @param onUnmatched receives answers nobody waits for (the journal records them); called on an event loop
     */
    public IssuerLink(IssuerConfig config, EventLoops loops, Hsm hsm, MeterRegistry registry, Clock clock,
                      Consumer<IssuerResponse> onUnmatched) {
        this.config = Objects.requireNonNull(config, "config");
        this.spec = Dialects.byName(config.dialect());
        this.network = NetworkManagement.of(spec);
        this.framing = Framing.of(config.framing(), FramingOptions.plain());
        this.clock = Objects.requireNonNull(clock, "clock");
        this.onUnmatched = Objects.requireNonNull(onUnmatched, "onUnmatched");
        this.zoneKeys = new ZoneKeyImport(config, hsm, clock);
        this.checkViews = ThreadLocal.withInitial(() -> new IsoMessageView(spec));
        this.macs = new LinkMacs(hsm, checkViews);
        this.pending = new PendingRequests<>(loops.workers().next(), this::unmatched);
        this.tls = config.tls() == null ? null
                : TlsContexts.client(config.tls(), "issuers[" + config.issuerId() + "].tls");
        this.handshakes = tls == null ? null : HandshakeWatch.issuer(config.issuerId(), registry);
        this.metrics = new IssuerLinkMetrics(registry, config.issuerId(), () -> isUp() ? 1 : 0, this::signedOnConnections);
        this.downSinceMs = clock.millis();
        for (int i = 0; i < config.connections(); i++) {
            connections.add(new IssuerConnection(this, i, loops));
        }
    }

    public String issuerId() {
        return config.issuerId();
    }

    public IssuerConfig config() {
        return config;
    }

    /** The TLS client context of this link's connections, or null for plain TCP. */
    SslContext tls() {
        return tls;
    }

    HandshakeWatch handshakes() {
        return handshakes;
    }

    /** The dialect requests are written in. */
    public MessageSpec spec() {
        return spec;
    }

    /**
     * Takes STANs from {@code source} from now on (before {@link #start()}): a node sharing its
     * journal gives every link a {@link BlockStanAllocator}, so STANs survive restarts and other nodes.
     */
    public void useStans(StanSource source) {
        this.stans = Objects.requireNonNull(source, "source");
    }

    /** Opens every connection; each signs on (and exchanges keys) by itself and reconnects when it drops. */
    public void start() {
        connections.forEach(IssuerConnection::start);
    }

    /**
     * Orderly shutdown: new requests are refused at once, requests in flight get their outcome
     * (at most one request timeout), then each signed-on connection signs off and closes. The
     * future completes when every connection is closed.
     */
    public CompletableFuture<Void> stop() {
        stopping = true;
        return pending.whenAllSettled().thenCompose(ignored -> CompletableFuture.allOf(
                connections.stream().map(IssuerConnection::stop).toArray(CompletableFuture[]::new)));
    }

    /**
     * UP: at least one connection is signed on, so a request can be sent. A connection exchanging
     * its keys counts: that pause (of a link of one connection) is planned and lasts a round trip.
     */
    public boolean isUp() {
        if (stopping) {
            return false;
        }
        // asked by routing for every request: stop at the first signed-on connection
        for (IssuerConnection connection : connections) {
            if (connection.isSignedOnOrExchangingKeys()) {
                return true;
            }
        }
        return false;
    }

    /** Whether a connection other than {@code connection} is signed on (and so carries traffic). */
    boolean anotherSignedOn(IssuerConnection connection) {
        for (IssuerConnection other : connections) {
            if (other != connection && other.isSignedOn()) {
                return true;
            }
        }
        return false;
    }

    public int signedOnConnections() {
        int count = 0;
        for (IssuerConnection connection : connections) {
            if (connection.isSignedOn()) {
                count++;
            }
        }
        return count;
    }

    /** The connections, in order (their states and keys, for health pages and tests). */
    public List<IssuerConnection> connections() {
        return List.copyOf(connections);
    }

    /** Requests waiting for an answer. */
    public int inFlight() {
        return pending.size();
    }

    /**
     * Counts a request refused at once because this link was down, decided before it was asked
     * (routing saw it down): the same {@code switch.issuer.unavailable} as a send finding no connection.
     */
    public void refusedWhileDown() {
        metrics.unavailable();
    }

    /**
     * Sends a request written by {@code writer} (see {@link RequestWriter}) and completes with the
     * issuer's answer. Never throws: every failure completes the future exceptionally, with an
     * {@link IssuerException} when the issuer is the cause.
     */
    public CompletableFuture<IssuerResponse> send(String mti, RequestWriter writer) {
        Objects.requireNonNull(writer, "writer");
        IssuerConnection connection = stopping ? null : nextSignedOn();
        if (connection == null) {
            metrics.unavailable();
            return CompletableFuture.failedFuture(new IssuerUnavailableException(config.issuerId()));
        }
        // on the connection's loop, as every write is: a key exchange checks there that nothing is
        // in flight before its sign-on goes out, so no request may be written from another thread
        return onLoopOf(connection, 0, () -> dispatchOrReroute(connection, mti, writer, 0, connections.size()));
    }

    /**
     * Takes a STAN for a request to be sent later with {@link #send(String, int, RequestWriter)}:
     * the switch writes it ahead into the journal before sending, so that a reversal after a crash
     * can name the original. The STAN stays out of use until sent and answered, or {@link #release}d.
     */
    public int reserve() {
        synchronized (stansInFlight) {
            int stan = stans.next(stansInFlight::contains);
            stansInFlight.add(stan);
            return stan;
        }
    }

    /** Returns a reserved STAN that will not be sent. */
    public void release(int reservedStan) {
        stansInFlight.remove(reservedStan);
    }

    /** As {@link #send(String, RequestWriter)} with a STAN taken by {@link #reserve()}; the STAN is released either way. */
    public CompletableFuture<IssuerResponse> send(String mti, int reservedStan, RequestWriter writer) {
        Objects.requireNonNull(writer, "writer");
        IssuerConnection connection = stopping ? null : nextSignedOn();
        if (connection == null) {
            release(reservedStan);
            metrics.unavailable();
            return CompletableFuture.failedFuture(new IssuerUnavailableException(config.issuerId()));
        }
        return onLoopOf(connection, reservedStan, () -> dispatchOrReroute(connection, mti, writer, reservedStan, connections.size()));
    }

    /**
     * Runs {@code dispatch} on the connection's event loop ({@code reservedStan} 0: none taken yet). The pipeline calls in from the journal's
     * writer thread (the completion of the write-ahead record): writing the request there, PIN
     * translation included, held back the writer's next group commit, and the write had to cross
     * to the channel's loop anyway.
     */
    private CompletableFuture<IssuerResponse> onLoopOf(IssuerConnection connection, int reservedStan,
                                                       Supplier<CompletableFuture<IssuerResponse>> dispatch) {
        EventLoop loop = connection.loop();
        if (loop.inEventLoop()) {
            return dispatch.get();
        }
        CompletableFuture<IssuerResponse> answer = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                CompletableFuture<IssuerResponse> dispatched;
                try {
                    dispatched = dispatch.get();
                } catch (RuntimeException e) {
                    // a throw inside the loop's task would be logged by Netty and lost, leaving
                    // the caller's future (and its journal record) waiting forever
                    answer.completeExceptionally(e);
                    return;
                }
                dispatched.whenComplete((response, failure) -> {
                    if (failure == null) {
                        answer.complete(response);
                    } else {
                        answer.completeExceptionally(failure);
                    }
                });
            });
        } catch (RejectedExecutionException e) {
            // the loop is shutting down: nothing was written, so the STAN is free again
            if (reservedStan != 0) {
                release(reservedStan);
            }
            metrics.unavailable();
            answer.completeExceptionally(new IssuerUnavailableException(config.issuerId()));
        }
        return answer;
    }

    /**
     * Sends {@code request}: fields 11, 32 and 33 are the link's (any values the message has there
     * are replaced in what is sent; the message itself is left as it is). Allocates; the pipeline
     * uses {@link #send(String, RequestWriter)}.
     */
    public CompletableFuture<IssuerResponse> send(IsoMessage request) {
        return send(request.mti(), (writer, stamp) -> {
            java.util.TreeSet<Integer> fields = new java.util.TreeSet<>(request.fields());
            fields.add(11);
            fields.add(32);
            if (stamp.forwardingInstitutionId() == null) {
                fields.remove(33);
            } else {
                fields.add(33);
            }
            for (int field : fields) {
                switch (field) {
                    case 11 -> writer.field(11, stamp.stan());
                    case 32 -> writer.field(32, stamp.acquiringInstitutionId());
                    case 33 -> writer.field(33, stamp.forwardingInstitutionId());
                    default -> {
                        byte[] bytes = request.getBytes(field);
                        if (bytes != null) {
                            writer.bytes(field, bytes);
                        } else {
                            writer.field(field, request.getString(field));
                        }
                    }
                }
            }
        });
    }

    // ---- inside the package: connections call these

    /** A network management request ({@code code} in field 70 or 24) on one connection, signed on or not. */
    CompletableFuture<IssuerResponse> sendNetwork(IssuerConnection connection, String code) {
        return dispatch(connection, network.requestMti(), (writer, stamp) -> {
            writer.field(7, TRANSMISSION_TIME.format(clock.instant()));
            writer.field(11, stamp.stan());
            if (network.codeField() < 32) {
                writer.field(network.codeField(), code);
            }
            writer.field(32, stamp.acquiringInstitutionId());
            if (stamp.forwardingInstitutionId() != null) {
                writer.field(33, stamp.forwardingInstitutionId());
            }
            if (network.codeField() > 33) {
                writer.field(network.codeField(), code);
            }
        }, false, 0);
    }

    /**
     * Dispatches a request, on its loop, on the connection chosen for it on another thread. By the
     * time the loop runs it, that connection may have begun a key exchange with nothing in flight
     * (its sign-on for new keys already on the wire) or dropped; nothing was written yet, so the
     * request goes to another connection signed on, when there is one, instead of being refused 91
     * while the link is up. At most {@code reroutes} times, so a link whose connections all stop
     * taking requests still answers at once.
     */
    private CompletableFuture<IssuerResponse> dispatchOrReroute(IssuerConnection connection, String mti, RequestWriter writer,
                                                                int reservedStan, int reroutes) {
        if (reroutes > 0 && !stopping && !connection.takesRequests()) {
            IssuerConnection other = nextSignedOn();
            if (other != null && other != connection) {
                metrics.rerouted();
                return onLoopOf(other, reservedStan, () -> dispatchOrReroute(other, mti, writer, reservedStan, reroutes - 1));
            }
        }
        return dispatch(connection, mti, writer, true, reservedStan);
    }

    /** {@code reservedStan} 0: take a STAN now. */
    private CompletableFuture<IssuerResponse> dispatch(IssuerConnection connection, String mti, RequestWriter writer,
                                                       boolean needsKeys, int reservedStan) {
        Channel channel = connection.channel();
        WorkingKeys keys = connection.keys();
        if (channel == null || (needsKeys && (keys == null || !connection.takesRequests()))) {
            if (reservedStan != 0) {
                release(reservedStan);
            }
            metrics.unavailable();
            return CompletableFuture.failedFuture(new IssuerUnavailableException(config.issuerId()));
        }
        int stan;
        try {
            stan = reservedStan == 0 ? reserve() : reservedStan;
        } catch (IllegalStateException e) {
            metrics.unavailable();
            return CompletableFuture.failedFuture(new IssuerUnavailableException(config.issuerId()));
        }
        ByteBuf out = channel.alloc().buffer(256);
        MatchKey key;
        LinkStamp stamp = new LinkStamp(stan, config.acquiringInstitutionId(), config.forwardingInstitutionId(), keys);
        CompletableFuture<IssuerResponse> answer;
        try {
            IsoMessageWriter messageWriter = new IsoMessageWriter(spec).begin(out, mti);
            writer.write(messageWriter, stamp);
            SecureKey zak = needsKeys ? keys.zoneMacKey() : null;
            if (zak != null) {
                macs.finishSigned(messageWriter, out, 0, zak);
            } else {
                messageWriter.finish();
            }
            checkStamped(out, stamp);
            key = MatchKey.of(mti, stan, config.acquiringInstitutionId());
            stansInFlight.add(stan);
            connection.track(key);
            answer = pending.register(key, config.requestTimeoutMs());
        } catch (RuntimeException e) {
            out.release();
            release(stan);
            return CompletableFuture.failedFuture(e);
        }
        long sentAt = System.nanoTime();
        connection.track(key);
        answer.whenComplete((response, failure) -> {
            stansInFlight.remove(stan);
            connection.untrack(key);
            if (failure == null) {
                metrics.answered(System.nanoTime() - sentAt);
            } else if (failure instanceof IssuerTimeoutException) {
                metrics.timeout(!needsKeys);
            } else if (failure instanceof IssuerConnectionLostException) {
                metrics.connectionLost(!needsKeys);
            }
        });
        metrics.request();
        // ownership of out passes to the channel, which releases it once written or failed
        channel.writeAndFlush(out).addListener(written -> {
            if (!written.isSuccess()) {
                LOG.warn("issuer {}: a {} request could not be written: {}", config.issuerId(), mti, written.cause().toString());
                pending.fail(key, new IssuerConnectionLostException(config.issuerId(), key.messageClass()));
            }
        });
        return answer;
    }

    /** The answers are matched on fields 11 and 32: a writer that left them out or changed them is a bug. */
    private void checkStamped(ByteBuf out, LinkStamp stamp) {
        IsoMessageView view = checkViews.get().wrap(out);
        boolean ok = view.has(11) && view.getLong(11) == stamp.stan()
                && view.has(32) && config.acquiringInstitutionId().contentEquals(view.chars(32))
                && (stamp.forwardingInstitutionId() == null
                    || (view.has(33) && stamp.forwardingInstitutionId().contentEquals(view.chars(33))));
        if (!ok) {
            throw new IllegalArgumentException("the request writer must write field 11 = the link's STAN and fields 32"
                    + (stamp.forwardingInstitutionId() == null ? "" : " and 33") + " = the link's institution codes");
        }
    }

    private IssuerConnection nextSignedOn() {
        int size = connections.size();
        int start = Math.floorMod(cursor.getAndIncrement(), size);
        for (int i = 0; i < size; i++) {
            IssuerConnection connection = connections.get((start + i) % size);
            if (connection.isSignedOn()) {
                return connection;
            }
        }
        return null;
    }

    /**
     * Whether a financial answer read on {@code connection} may be believed: when the issuer gave the
     * connection a ZAK, only with a MAC that verifies under it. One that fails is counted; its
     * request, if any, times out and is reversed.
     */
    boolean authentic(IssuerConnection connection, IsoMessageView view, byte[] answer) {
        WorkingKeys keys = connection.keys();
        if (keys == null || keys.zoneMacKey() == null || macs.verifies(view, answer, keys.zoneMacKey())) {
            return true;
        }
        metrics.macFailure();
        return false;
    }

    /** An answer whose field 55 was malformed: the field is dropped, the answer stands. */
    void malformedIccData() {
        metrics.malformedIccData();
    }

    /** A message from the issuer that does not decode: counted; its request, if any, times out. */
    void undecodable() {
        metrics.undecodable();
    }

    /** An answer read by a connection: to its request if one waits for it, else to the unmatched callback. */
    void answer(IssuerResponse response, String institution) {
        if (response.stan() < 0) {
            unmatched(response);
            return;
        }
        pending.complete(MatchKey.of(response.mti(), response.stan(), institution), response);
    }

    /**
     * Fails a request whose connection closed; false if it already had its outcome.
     *
     * @param first true for the first request failed by this closing, the one that counts toward the breaker
     */
    boolean connectionLost(MatchKey key, boolean first) {
        return pending.fail(key, new IssuerConnectionLostException(config.issuerId(), key.messageClass(), first));
    }

    private void unmatched(IssuerResponse response) {
        metrics.lateAnswer();
        if (network.isNetwork(response.mti())) {
            LOG.info("issuer {}: a network management answer came after its request timed out (stan {})",
                    config.issuerId(), response.stan());
            return;
        }
        LOG.warn("issuer {}: an answer nobody waits for: {}", config.issuerId(), response);
        try {
            onUnmatched.accept(response);
        } catch (RuntimeException e) {
            LOG.error("issuer {}: the unmatched-answer callback failed", config.issuerId(), e);
        }
    }

    /** A connection signed on or dropped. */
    void connectionChanged() {
        LOG.debug("issuer {}: {} of {} connection(s) signed on", config.issuerId(), signedOnConnections(), connections.size());
        boolean up = isUp();
        boolean cameUp;
        boolean wentDown;
        boolean wasEverUp;
        long downMs;
        synchronized (onUp) {
            wasEverUp = everUp;
            everUp |= up;
            cameUp = up && !wasUp;
            wentDown = !up && wasUp;
            wasUp = up;
            long now = clock.millis();
            downMs = now - downSinceMs;
            if (wentDown) {
                downSinceMs = now;
            }
        }
        if (cameUp && wasEverUp) {
            // the end of an outage is logged at the level of its start
            LOG.warn("issuer {}: link up again ({} of {} connection(s) signed on) after {} ms down", config.issuerId(),
                    signedOnConnections(), connections.size(), downMs);
        } else if (cameUp) {
            LOG.info("issuer {}: link up ({} of {} connection(s) signed on) {} ms after it started", config.issuerId(),
                    signedOnConnections(), connections.size(), downMs);
        } else if (wentDown && !stopping) {
            LOG.warn("issuer {}: link down: no connection signed on", config.issuerId());
        }
        if (cameUp) {
            for (Runnable listener : onUp) {
                try {
                    listener.run();
                } catch (RuntimeException e) {
                    LOG.error("issuer {}: a link-up listener failed", config.issuerId(), e);
                }
            }
        }
    }

    /**
     * Runs {@code listener} each time this link comes up (its first connection signs on after none
     * was), on the event loop of that connection: it must not block.
     */
    public void onUp(Runnable listener) {
        onUp.add(Objects.requireNonNull(listener, "listener"));
    }

    void reconnectScheduled() {
        metrics.reconnect();
    }

    void keysExchanged() {
        metrics.keyExchange();
    }

    boolean stopping() {
        return stopping;
    }

    NetworkManagement network() {
        return network;
    }

    Framing framing() {
        return framing;
    }

    ZoneKeyImport zoneKeys() {
        return zoneKeys;
    }

    @Override
    public String toString() {
        return "IssuerLink[" + config.issuerId() + ", " + signedOnConnections() + "/" + connections.size() + " signed on]";
    }
}
