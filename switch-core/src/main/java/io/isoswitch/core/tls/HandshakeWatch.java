package io.isoswitch.core.tls;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.AttributeKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits behind a {@code SslHandler}: counts and logs each failed handshake. The log names the
 * peer's address, the side and the reason (TLS alerts and certificate errors carry no card data;
 * nothing of the application stream exists yet at handshake time).
 *
 * <p>Metric {@value #FAILURES}, tags {@code side} ({@code listener} or {@code issuer}) and
 * {@code name} (the listener's name or the issuer id). One instance serves every channel of a
 * listener or link.
 */
@ChannelHandler.Sharable
public final class HandshakeWatch extends ChannelInboundHandlerAdapter {
    public static final String FAILURES = "switch.tls.handshake.failures";
    private static final AttributeKey<Boolean> COUNTED = AttributeKey.valueOf(HandshakeWatch.class, "counted");
    private static final Logger LOG = LoggerFactory.getLogger(HandshakeWatch.class);

    private final String side;
    private final String name;
    private final Counter failures;

    private HandshakeWatch(String side, String name, MeterRegistry registry) {
        this.side = side;
        this.name = name;
        this.failures = Counter.builder(FAILURES).description("TLS handshakes that failed, by side and listener or issuer")
                .tags("side", side, "name", name).register(registry);
    }

    /** The watch of terminal listener {@code listener}. */
    public static HandshakeWatch listener(String listener, MeterRegistry registry) {
        return new HandshakeWatch("listener", listener, registry);
    }

    /** The watch of issuer link {@code issuerId}. */
    public static HandshakeWatch issuer(String issuerId, MeterRegistry registry) {
        return new HandshakeWatch("issuer", issuerId, registry);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent completion && !completion.isSuccess()) {
            failed(ctx, completion.cause());
        }
        super.userEventTriggered(ctx, event);
    }

    /**
     * Under TLS 1.3 a client's side of the handshake completes before the server has checked the
     * client's certificate; a refusal then arrives as an alert on the first read. That is a
     * handshake failure too, counted once per connection.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
        if (isTls(cause)) {
            failed(ctx, cause);
        }
        super.exceptionCaught(ctx, cause);
    }

    private void failed(ChannelHandlerContext ctx, Throwable cause) {
        if (ctx.channel().attr(COUNTED).setIfAbsent(Boolean.TRUE) == null) {
            failures.increment();
            LOG.warn("TLS handshake failed on {} {} with {}: {}", side, name, ctx.channel().remoteAddress(), reason(cause));
        }
    }

    private static boolean isTls(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException) {
                return true;
            }
        }
        return false;
    }

    /** The innermost message: the certificate or alert reason, not Netty's wrapping. */
    private static String reason(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
