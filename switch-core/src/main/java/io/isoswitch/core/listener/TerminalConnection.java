package io.isoswitch.core.listener;

import io.isoswitch.codec.IsoCodecException;
import io.isoswitch.codec.IsoMessageView;
import io.isoswitch.codec.IsoMessageWriter;
import io.isoswitch.codec.framing.Frame;
import io.isoswitch.codec.framing.FrameException;
import io.isoswitch.core.metrics.SwitchMetrics;
import io.isoswitch.core.txn.ResponseCodes;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.timeout.IdleStateEvent;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One terminal connection: decodes each frame into a view, hands it to the {@link RequestProcessor},
 * and writes the answer when the decision comes back, on this connection's event loop. A frame that
 * does not decode is answered 30 when its MTI was readable (and dropped otherwise, keeping the
 * connection: only a broken frame, caught by the framing, closes it).
 *
 * <p>A terminal that half-closes (shuts its output down after its last request, as one-shot clients
 * and scripts do) is answered every request read before the end of its input, and then the
 * connection is closed: closing at the end of input would leave requests already at the issuer
 * approved and unanswered.
 *
 * <p>Ownership: each request frame is owned here from arrival until its answer has been written,
 * then released exactly once; views are pooled per connection and reused.
 */
public final class TerminalConnection extends SimpleChannelInboundHandler<Frame> {
    private static final Logger LOG = LoggerFactory.getLogger(TerminalConnection.class);

    private final DialectProfile dialect;
    private final RequestProcessor processor;
    private final SwitchMetrics metrics;
    private final int maxInFlight;
    private final Clock hostClock;
    private final ArrayDeque<IsoMessageView> spareViews = new ArrayDeque<>();
    private ResponseComposer composer;
    private InFlightLimiter inFlight;
    /** The terminal half-closed: close once nothing read is left unanswered. */
    private boolean inputShutDown;

    public TerminalConnection(DialectProfile dialect, RequestProcessor processor, SwitchMetrics metrics, int maxInFlight) {
        this(dialect, processor, metrics, maxInFlight, Clock.systemDefaultZone());
    }

    /** @param hostClock the host's clock in its business zone, for the local time and date UnionPay answers carry */
    public TerminalConnection(DialectProfile dialect, RequestProcessor processor, SwitchMetrics metrics, int maxInFlight,
                              Clock hostClock) {
        super(Frame.class, false);
        this.hostClock = hostClock;
        this.dialect = dialect;
        this.processor = processor;
        this.metrics = metrics;
        this.maxInFlight = maxInFlight;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        composer = new ResponseComposer(new IsoMessageWriter(dialect.spec()), dialect.cup(), hostClock);
        inFlight = new InFlightLimiter(ctx.channel(), maxInFlight);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
        long start = System.nanoTime();
        IsoMessageView view = spareViews.isEmpty() ? new IsoMessageView(dialect.spec()) : spareViews.poll();
        // structure (wrap) and content (validate: digits, signs, hex) both, before anything trusts it
        try {
            view.wrap(frame.body());
        } catch (IsoCodecException e) {
            spareViews.push(view);
            answerUndecodable(ctx, frame, e, null, start);
            return;
        }
        try {
            view.validate();
        } catch (IsoCodecException e) {
            // the layout decoded: the answer can echo the terminal id from where the bitmap says it is
            answerUndecodable(ctx, frame, e, view, start);
            spareViews.push(view);
            return;
        }
        if (!ResponseMti.answerable(view.mti())) {
            // a response (0210), or no message class at all: answering it would answer an answer
            spareViews.push(view);
            dropUnanswerable(frame);
            return;
        }
        Exchange exchange = new Exchange(ctx.channel(), frame, view, dialect, start);
        inFlight.started();
        metrics.requestStarted();
        CompletionStage<Decision> decision;
        try {
            decision = processor.process(exchange);
        } catch (RuntimeException e) {
            LOG.error("processing failed on {}: {}", dialect.name(), e.toString());
            decision = CompletableFuture.completedFuture(Decision.of(ResponseCodes.SYSTEM_ERROR, "unknown"));
        }
        if (decision instanceof CompletableFuture<Decision> done && done.isDone() && !done.isCompletedExceptionally()) {
            // decided already (echo, declines): answer now, without a stage and a lambda per request
            try {
                answer(ctx, exchange, done.getNow(null), null);
            } catch (RuntimeException e) {
                // as whenComplete would have: the failure stays with this request, the connection lives
                LOG.error("answering a request on {} failed: {}", dialect.name(), e.toString());
            }
            return;
        }
        decision.whenComplete((result, failure) -> {
            if (ctx.executor().inEventLoop()) {
                answer(ctx, exchange, result, failure);
            } else {
                try {
                    ctx.executor().execute(() -> answer(ctx, exchange, result, failure));
                } catch (java.util.concurrent.RejectedExecutionException stopped) {
                    // decided after the node stopped its loops (a void reading its record back): nobody
                    // to answer, but the request's buffer is still this connection's to give back
                    exchange.frame().release();
                }
            }
        });
    }

    private void answer(ChannelHandlerContext ctx, Exchange exchange, Decision decision, Throwable failure) {
        Decision finalDecision = decision;
        if (failure != null || decision == null) {
            LOG.error("a request on {} failed: {}", dialect.name(), failure == null ? "no decision" : failure.toString());
            finalDecision = Decision.of(ResponseCodes.SYSTEM_ERROR, "unknown");
        }
        Frame request = exchange.frame();
        try {
            ByteBuf answer = composeOrNull(ctx, exchange.request(), finalDecision);
            // the 96 sent because the decided answer could not be composed delivers nothing of what was decided
            Runnable delivered = answer != null && stillAwaited(exchange) ? finalDecision.delivered() : null;
            write(ctx, request, answer != null ? answer
                    : composer.compose(exchange.request(), Decision.of(ResponseCodes.SYSTEM_ERROR, finalDecision.typeTag()), ctx.alloc()),
                    delivered);
            metrics.transaction(finalDecision.typeTag(), dialect.name(), finalDecision.responseCode(),
                    finalDecision.issuer(), System.nanoTime() - exchange.startNanos());
        } finally {
            request.release();
            spareViews.push(exchange.request());
            inFlight.finished();
            metrics.requestFinished();
            closeIfHalfClosedAndAnswered(ctx);
        }
    }

    private void closeIfHalfClosedAndAnswered(ChannelHandlerContext ctx) {
        if (inputShutDown && inFlight.inFlight() == 0) {
            // the close flushes the answers written before it (FlushConsolidationHandler flushes on close)
            ctx.close();
        }
    }

    /** The decided answer's bytes, or null when it cannot be composed (logged; the caller answers 96). */
    private ByteBuf composeOrNull(ChannelHandlerContext ctx, IsoMessageView request, Decision decision) {
        try {
            return composer.compose(request, decision, ctx.alloc());
        } catch (RuntimeException e) {
            // a decision that cannot be encoded is the switch's fault, never the terminal's
            LOG.error("cannot compose the answer on {}: {}", dialect.name(), e.toString());
            return null;
        }
    }

    /**
     * How long after its request an answer is taken as still awaited by its terminal: shorter than
     * the 30 to 60 s terminals wait. An answer written later may reach a terminal that gave up and
     * reverses what it asked for; what waits for the answer to be delivered ({@link Decision#delivered})
     * is then not told it was.
     */
    private static final long STILL_AWAITED_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(25);

    private static boolean stillAwaited(Exchange exchange) {
        return System.nanoTime() - exchange.startNanos() < STILL_AWAITED_NANOS;
    }

    /** @param laidOut the request's view when its layout decoded and only a field's content did not, else null */
    private void answerUndecodable(ChannelHandlerContext ctx, Frame frame, IsoCodecException e, IsoMessageView laidOut, long start) {
        metrics.decodeError(dialect.name());
        try {
            if (!ResponseMti.answerable(e.mti())) {
                LOG.info("dropped an undecodable frame on {} (no request MTI to answer): {}", dialect.name(), e.getMessage());
                return;
            }
            ByteBuf body = FormatErrorAnswer.compose(dialect.spec(), e, laidOut, ctx.alloc());
            write(ctx, frame, body, null);
            metrics.transaction("unknown", dialect.name(), ResponseCodes.FORMAT_ERROR, "none", System.nanoTime() - start);
        } finally {
            frame.release();
        }
    }

    private void dropUnanswerable(Frame frame) {
        try {
            metrics.decodeError(dialect.name());
            LOG.info("dropped a message on {} whose MTI names no request, advice or notification", dialect.name());
        } finally {
            frame.release();
        }
    }

    /** @param delivered run once the answer is written to the connection, or null */
    private void write(ChannelHandlerContext ctx, Frame request, ByteBuf body, Runnable delivered) {
        Frame response = dialect.framing().responseTo(request, body, ctx.alloc());
        if (delivered == null) {
            ctx.writeAndFlush(response, ctx.voidPromise());
            return;
        }
        // written means the kernel took the bytes, not that the terminal read them: a line that resets or
        // closes just after the request still counts as delivered (waiting until the connection had stayed
        // open a few seconds delayed, by the whole hold, every void of a terminal that hangs up at once)
        ctx.writeAndFlush(response).addListener(written -> {
            if (written.isSuccess()) {
                delivered.run();
            }
        });
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        inFlight.writabilityChanged();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof FrameException reason && reason.incomplete()) {
            // a frame begun and not completed in time: the framing closes the connection (and logged why)
            metrics.incompleteFrame(dialect.name());
        } else if (event instanceof FrameException) {
            // the framing refused a length header and closes the connection: count it here
            metrics.decodeError(dialect.name());
        } else if (event instanceof ChannelInputShutdownEvent) {
            // the framing has passed on every whole frame before the end of input: answer them, then close
            inputShutDown = true;
            closeIfHalfClosedAndAnswered(ctx);
        } else if (event instanceof IdleStateEvent) {
            LOG.debug("closing idle terminal connection {}", ctx.channel().remoteAddress());
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.info("closing terminal connection {} after: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
