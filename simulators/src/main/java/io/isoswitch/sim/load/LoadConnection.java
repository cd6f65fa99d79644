package io.isoswitch.sim.load;

import io.isoswitch.codec.IsoCodecException;
import io.isoswitch.codec.IsoMessage;
import io.isoswitch.codec.IsoMessageView;
import io.isoswitch.codec.framing.Frame;
import io.isoswitch.codec.spec.MessageSpec;
import io.isoswitch.security.ExportedKey;
import io.isoswitch.security.HsmException;
import io.isoswitch.security.KeyAlgorithm;
import io.isoswitch.security.KeyKind;
import io.isoswitch.security.SecureKey;
import io.isoswitch.sim.terminal.TerminalConfig;
import io.isoswitch.sim.terminal.TerminalDialect;
import io.isoswitch.sim.wire.WorkingKeys;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.util.collection.IntObjectHashMap;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One terminal's connection in the load: signs on when the mix needs keys, then sends requests as
 * its {@link Schedule} says, matches answers by STAN, and counts them in the {@link LoadStats}.
 * Everything here runs on the channel's event loop, so nothing is locked; writes made in one
 * pass are flushed once.
 */
final class LoadConnection extends SimpleChannelInboundHandler<Frame> {
    private static final int STAN_LIMIT = 999_999;

    /** The run's times, shared by every connection; set once before the traffic starts. */
    record Schedule(long startNanos, long measureFromNanos, long endNanos, long intervalNanos, long offsetNanos) {
        boolean fixedRate() {
            return intervalNanos > 0;
        }

        /** At a fixed rate, how many of this connection's slots fall in the measured window. */
        long slotsInWindow() {
            return Math.max(0, slotsBefore(endNanos) - slotsBefore(measureFromNanos));
        }

        /** Slots k >= 0 with start + offset + k x interval < {@code time}. */
        private long slotsBefore(long time) {
            long span = time - startNanos - offsetNanos;
            return span <= 0 ? 0 : (span + intervalNanos - 1) / intervalNanos;
        }
    }

    /** A request waiting for its answer; a purchase keeps its card, to be refunded later once approved. */
    private record Pending(long dueNanos, long sentNanos, boolean measured, LoadOperation op, int cardIndex) {
    }

    /** An approved purchase of this connection that no refund has named yet. */
    private record Refundable(int cardIndex, String rrn) {
    }

    /** Approved purchases kept for refunds: enough for any mix, bounded however few refunds it has. */
    private static final int REFUNDABLE_LIMIT = 256;

    private final TerminalConfig config;
    private final LoadPlan plan;
    private final LoadStats stats;
    private final RequestTemplates templates;
    private final SplittableRandom random;
    private final byte[] prefix;
    /** The dialect's spec, looked up once: {@code TerminalDialect.spec()} finds it by name on each call. */
    private final MessageSpec spec;
    private final IntObjectHashMap<Pending> pending = new IntObjectHashMap<>();
    private final ArrayDeque<Refundable> refundable = new ArrayDeque<>();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private volatile Channel channel;
    private Schedule schedule;
    private SecureKey tpk;
    private SecureKey tak;
    private String batch = "000001";
    private int stan;
    private int signOnStan = -1;
    private long nextIndex;
    private boolean closing;
    private boolean lost;
    /** Whether a wake-up of {@link #pump} is set, and for when: at most one is kept at a time. */
    private boolean wakeSet;
    private long wakeAtNanos;
    private io.netty.util.concurrent.ScheduledFuture<?> sweeper;

    LoadConnection(TerminalConfig config, LoadPlan plan, LoadStats stats, RequestTemplates.Shared shared, long seed) {
        this.config = config;
        this.plan = plan;
        this.stats = stats;
        this.templates = new RequestTemplates(config, shared);
        this.random = new SplittableRandom(seed);
        this.prefix = config.dialect().prefix();
        this.spec = config.dialect().spec();
        this.stan = plan.stanStart() - 1;
    }

    /** Completes when the connection is ready to carry load (signed on if needed), or fails. */
    CompletableFuture<Void> ready() {
        return ready;
    }

    /** Completes when the run has ended and nothing is outstanding (answered, timed out or lost). */
    CompletableFuture<Void> drained() {
        return drained;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        if (plan.mix().needsSignOn() && !plan.signOn()) {
            tpk = config.hsm().generateKey(KeyKind.TPK, KeyAlgorithm.TDES_2KEY);
            tak = config.hsm().generateKey(KeyKind.TAK, KeyAlgorithm.TDES_2KEY);
            ready.complete(null);
        } else if (plan.mix().needsSignOn()) {
            signOnStan = nextStan();
            write(templates.signOn(signOnStan, batch));
            channel.flush();
            ctx.executor().schedule(() -> {
                if (!ready.isDone()) {
                    stats.error(LoadError.SIGN_ON_FAILED, 1);
                    ready.completeExceptionally(new IllegalStateException("sign-on of " + config.terminalId() + " timed out"));
                }
            }, plan.timeout().toNanos(), TimeUnit.NANOSECONDS);
        } else {
            ready.complete(null);
        }
        ctx.fireChannelActive();
    }

    /** Starts the traffic; call from any thread. */
    void start(Schedule times) {
        channel.eventLoop().execute(() -> {
            schedule = times;
            long sweep = Math.max(TimeUnit.MILLISECONDS.toNanos(10), plan.timeout().toNanos() / 4);
            sweeper = channel.eventLoop().scheduleAtFixedRate(this::sweep, sweep, sweep, TimeUnit.NANOSECONDS);
            pump();
        });
    }

    /** The connection could not be opened (counted here). */
    void connectFailed(Throwable cause) {
        stats.error(LoadError.CONNECT_FAILED, 1);
        ready.completeExceptionally(cause);
        drained.complete(null);
    }

    /** Closes the connection on purpose (its closing is then no error) and waits for it to close. */
    void closeQuietly() {
        Channel open = channel;
        if (open == null) {
            return;
        }
        open.eventLoop().execute(() -> closing = true);
        open.close().awaitUninterruptibly();
    }

    /** Sends what is due: in closed loop, until the connection's window is full; at a fixed rate, every slot passed. */
    private void pump() {
        if (schedule == null || lost) {
            return;
        }
        long now = System.nanoTime();
        if (now < schedule.startNanos()) {
            // every connection starts together, when the schedule says
            wakeAt(schedule.startNanos(), now);
            return;
        }
        boolean wrote = false;
        if (schedule.fixedRate()) {
            // requests due in the window are sent late rather than dropped (their wait is in their
            // latency), but not beyond a timeout after the end: an overloaded target must not keep the run going
            boolean tooLate = now - schedule.endNanos() > plan.timeout().toNanos();
            while (!tooLate && pending.size() < plan.inFlightPerConnection()) {
                long due = schedule.startNanos() + schedule.offsetNanos() + nextIndex * schedule.intervalNanos();
                if (due >= schedule.endNanos() || due > now) {
                    break;
                }
                send(due, now);
                nextIndex++;
                wrote = true;
            }
            long next = schedule.startNanos() + schedule.offsetNanos() + nextIndex * schedule.intervalNanos();
            if (next < schedule.endNanos() && next > now && pending.size() < plan.inFlightPerConnection()) {
                wakeAt(next, now);
            }
        } else {
            while (pending.size() < plan.inFlightPerConnection() && !ended(now)) {
                if (now >= schedule.measureFromNanos() && !stats.reserve(plan.requests())) {
                    break;
                }
                send(now, now);
                wrote = true;
            }
        }
        if (wrote) {
            channel.flush();
        }
        checkDrained(now);
    }

    /**
     * Sets a wake-up of {@link #pump} at {@code due} unless one is already set for then or earlier
     * (that one sets the next). Every answer pumps too: setting a wake-up each time kept one more
     * for every answer, each firing only to set itself again, and the event loop's timer queue grew
     * by one a request (its heap operations were most of the generator's CPU at 5,000/s).
     */
    private void wakeAt(long due, long now) {
        if (wakeSet && wakeAtNanos <= due) {
            return;
        }
        wakeSet = true;
        wakeAtNanos = due;
        stats.wakeUpSet();
        channel.eventLoop().schedule(() -> {
            if (wakeSet && wakeAtNanos == due) {
                wakeSet = false;
            }
            pump();
        }, due - now, TimeUnit.NANOSECONDS);
    }

    private void send(long due, long now) {
        int requestStan = nextStan();
        LoadOperation op = plan.mix().pick(random.nextInt(plan.mix().total()));
        int cardIndex = op.financial() ? random.nextInt(templates.cardCount()) : -1;
        // a switch refunds only against an original it approved (field 37, amount not above it):
        // a refund names the oldest approved purchase of this connection, each one once; with
        // none yet it is a purchase instead
        Refundable original = null;
        if (op == LoadOperation.REFUND) {
            original = refundable.pollFirst();
            if (original == null) {
                op = LoadOperation.PURCHASE;
            } else {
                cardIndex = original.cardIndex();
            }
        }
        RequestTemplates.Template template = op.financial() ? templates.financial(op, cardIndex, batch) : templates.echo();
        byte[] body = op.financial() ? templates.body(template, cardIndex, tpk) : template.body().clone();
        templates.stampStan(body, template.stanOffset(), requestStan);
        if (original != null) {
            templates.stampRrn(body, template.rrnOffset(), original.rrn());
        }
        if (template.macOffset() >= 0) {
            byte[] mac = config.hsm().generateMac(tak, config.dialect().macAlgorithm(), body, 0, template.macOffset());
            if (template.macAsHex()) {
                byte[] hex = java.util.HexFormat.of().withUpperCase().formatHex(mac).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                System.arraycopy(hex, 0, body, template.macOffset(), hex.length);
            } else {
                System.arraycopy(mac, 0, body, template.macOffset(), mac.length);
            }
        }
        boolean measured = due >= schedule.measureFromNanos();
        pending.put(requestStan, new Pending(due, now, measured, op, cardIndex));
        stats.sent(measured);
        write(body);
    }

    private void write(byte[] body) {
        ByteBuf out = channel.alloc().buffer(prefix.length + body.length);
        out.writeBytes(prefix).writeBytes(body);
        channel.write(out, channel.voidPromise());
    }

    private int nextStan() {
        stan = stan % STAN_LIMIT + 1;
        return stan;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
        long now = System.nanoTime();
        int answerStan;
        IsoMessageView view = ThreadViews.of(spec);
        try {
            view.wrap(frame.body());
            answerStan = view.stan();
        } catch (RuntimeException e) {
            // IsoCodecException mostly; whatever a garbled answer makes the view throw is the same to a terminal
            stats.error(LoadError.UNDECODABLE, 1);
            return;
        }
        if (answerStan == signOnStan && !ready.isDone()) {
            signedOn(frame);
            return;
        }
        Pending request = pending.remove(answerStan);
        if (request == null) {
            stats.error(LoadError.UNMATCHED, 1);
            return;
        }
        char c1 = 0;
        char c2 = 0;
        if (view.has(39)) {
            CharSequence code = view.responseCode();
            if (code.length() == 2) {
                c1 = code.charAt(0);
                c2 = code.charAt(1);
            }
        }
        if (request.op() == LoadOperation.PURCHASE && c1 == '0' && c2 == '0' && view.has(37)) {
            keepRefundable(request.cardIndex(), view.chars(37));
        }
        stats.answered(request.dueNanos(), request.sentNanos(), now, request.measured(), c1, c2);
        pump();
    }

    private void keepRefundable(int cardIndex, CharSequence rrn) {
        if (rrn.length() != 12) {
            return;
        }
        if (refundable.size() == REFUNDABLE_LIMIT) {
            refundable.pollFirst();
        }
        refundable.addLast(new Refundable(cardIndex, rrn.toString()));
    }

    private void signedOn(Frame frame) {
        try {
            IsoMessage answer = IsoMessage.decode(spec, ByteBufUtil.getBytes(frame.body()));
            if (!"00".equals(answer.getString(39))) {
                throw new IllegalStateException("sign-on of " + config.terminalId() + " answered " + answer.getString(39));
            }
            TerminalDialect dialect = config.dialect();
            List<ExportedKey> keys = dialect.isCup() ? WorkingKeys.fromBytes(answer.getBytes(62), 16)
                    : WorkingKeys.fromHex(answer.getString(62), 16);
            tpk = config.hsm().importKey(KeyKind.TPK, KeyAlgorithm.TDES_2KEY, keys.get(0).cryptogram(), config.tmk(),
                    keys.get(0).checkValue());
            tak = config.hsm().importKey(KeyKind.TAK, KeyAlgorithm.TDES_2KEY, keys.get(1).cryptogram(), config.tmk(),
                    keys.get(1).checkValue());
            if (dialect.isCup() && answer.has(60) && answer.getString(60).length() >= 8) {
                batch = answer.getString(60).substring(2, 8);
            }
            ready.complete(null);
        } catch (IsoCodecException | HsmException | IllegalArgumentException | IllegalStateException
                 | NullPointerException | IndexOutOfBoundsException e) {
            stats.error(LoadError.SIGN_ON_FAILED, 1);
            ready.completeExceptionally(new IllegalStateException(String.format(Locale.ROOT,
                    "sign-on of %s failed: %s", config.terminalId(), e.getMessage()), e));
        }
    }

    /** Counts requests unanswered past the timeout, which frees their slots. */
    private void sweep() {
        long now = System.nanoTime();
        long timeout = plan.timeout().toNanos();
        boolean freed = false;
        for (Iterator<IntObjectHashMap.PrimitiveEntry<Pending>> it = pending.entries().iterator(); it.hasNext(); ) {
            Pending request = it.next().value();
            if (now - request.sentNanos() > timeout) {
                it.remove();
                stats.timedOut(request.measured());
                freed = true;
            }
        }
        if (freed) {
            pump();
        } else {
            checkDrained(now);
        }
    }

    private void checkDrained(long now) {
        if (schedule == null) {
            return;
        }
        boolean allSent = !schedule.fixedRate() || now - schedule.endNanos() > plan.timeout().toNanos()
                || schedule.startNanos() + schedule.offsetNanos() + nextIndex * schedule.intervalNanos() >= schedule.endNanos();
        if (ended(now) && allSent && pending.isEmpty()) {
            drained.complete(null);
        }
    }

    /** The measured window is over: its time is up, or the plan's budget of requests is spent. */
    private boolean ended(long now) {
        return now >= schedule.endNanos() || stats.spent(plan.requests());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (sweeper != null) {
            sweeper.cancel(false);
        }
        if (!closing) {
            lost = true;
            // the outstanding requests are lost; a connection lost with none outstanding counts once
            stats.error(LoadError.CONNECTION_LOST, Math.max(1, pending.size()));
            pending.clear();
            ready.completeExceptionally(new IllegalStateException("connection of " + config.terminalId() + " closed"));
        }
        drained.complete(null);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a broken frame or a reset: the connection is done; channelInactive counts what was lost
        ctx.close();
    }
}
