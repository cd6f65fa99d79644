package io.isoswitch.core.tls;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
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
            failures.increment();
            LOG.warn("TLS handshake failed on {} {} with {}: {}", side, name, ctx.channel().remoteAddress(), reason(completion.cause()));
        }
        super.userEventTriggered(ctx, event);
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
