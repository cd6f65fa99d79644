package io.isoswitch.sim.load;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.codec.framing.Frame;
import io.isoswitch.codec.framing.Framing;
import io.isoswitch.codec.framing.FramingOptions;
import io.isoswitch.codec.spec.MessageSpec;
import io.isoswitch.security.Hsm;
import io.isoswitch.security.KeyAlgorithm;
import io.isoswitch.security.KeyKind;
import io.isoswitch.security.SecureKey;
import io.isoswitch.sim.terminal.TerminalDialect;
import io.isoswitch.sim.wire.MessageMacs;
import io.isoswitch.sim.wire.WorkingKeys;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongFunction;

/**
 * An ISO 8583 host for the load generator's tests, on 127.0.0.1: every request gets the answer its
 * arrival number chooses (a delay, a response code, silence, or a closed connection), and the host
 * counts what it decided, so a test can hold the generator's report against it. With a key-issuing
 * HSM it also signs terminals on and checks each MAC (answering A0 when one is wrong).
 */
final class FakeHost implements AutoCloseable {
    /** What the host does with request number n (0-based, in arrival order over all connections). */
    record Answer(long delayMillis, String code, boolean silent, boolean close) {
        static Answer after(long delayMillis) {
            return new Answer(delayMillis, "00", false, false);
        }

        static Answer code(String code) {
            return new Answer(0, code, false, false);
        }

        static Answer silence() {
            return new Answer(0, null, true, false);
        }

        static Answer hangUp() {
            return new Answer(0, null, false, true);
        }
    }

    final LongAdder silent = new LongAdder();
    final LongAdder closed = new LongAdder();
    final LongAdder signOns = new LongAdder();
    final LongAdder badMacs = new LongAdder();
    /** Refunds that named (field 37) a purchase approved on their connection and not refunded before. */
    final LongAdder refundsOfOriginals = new LongAdder();
    /** Refunds that named nothing, or nothing approved on their connection: answered 25, as a switch does. */
    final LongAdder refundsWithoutOriginal = new LongAdder();
    private final Map<Channel, java.util.Set<String>> refundableByChannel = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong rrns = new java.util.concurrent.atomic.AtomicLong();
    final Map<String, LongAdder> codes = new ConcurrentHashMap<>();
    final Map<Long, LongAdder> delays = new ConcurrentHashMap<>();
    final ChannelGroup open = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final AtomicLong arrivals = new AtomicLong();
    private final TerminalDialect dialect;
    private final MessageSpec spec;
    private final LongFunction<Answer> plan;
    private final Hsm hsm;
    private final SecureKey tmk;
    private final Map<Channel, SecureKey> takByChannel = new ConcurrentHashMap<>();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;

    FakeHost(TerminalDialect dialect, LongFunction<Answer> plan, Hsm hsm, SecureKey tmk) {
        this.dialect = dialect;
        this.spec = dialect.spec();
        this.plan = plan;
        this.hsm = hsm;
        this.tmk = tmk;
        Framing framing = new Framing(dialect.header(), dialect.isCup() ? FramingOptions.cupPos() : FramingOptions.plain());
        this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        open.add(ch);
                        ch.pipeline().addLast(framing.newDecoder(), framing.encoder(), new Handler());
                    }
                }).bind("127.0.0.1", 0).syncUninterruptibly().channel();
    }

    FakeHost(TerminalDialect dialect, LongFunction<Answer> plan) {
        this(dialect, plan, null, null);
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    long arrivals() {
        return arrivals.get();
    }

    long code(String code) {
        LongAdder count = codes.get(code);
        return count == null ? 0 : count.sum();
    }

    private final class Handler extends SimpleChannelInboundHandler<Frame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
            byte[] prefix = ByteBufUtil.getBytes(frame.prefix());
            byte[] body = ByteBufUtil.getBytes(frame.body());
            IsoMessage request = IsoMessage.decode(spec, body);
            IsoMessage answer = IsoMessage.decode(spec, body);
            int mti = Integer.parseInt(request.mti());
            answer.mti(String.format("%04d", mti - mti % 10 + 10)).unset(52).unset(64).unset(128).unset(35);
            if (hsm != null && "001".equals(request.getString(70))) {
                signOns.increment();
                SecureKey tpk = hsm.generateKey(KeyKind.TPK, KeyAlgorithm.TDES_2KEY);
                SecureKey tak = hsm.generateKey(KeyKind.TAK, KeyAlgorithm.TDES_2KEY);
                takByChannel.put(ctx.channel(), tak);
                answer.set(39, "00").set(62, WorkingKeys.toHex(List.of(hsm.exportKey(tpk, tmk), hsm.exportKey(tak, tmk))));
                send(ctx, prefix, answer);
                return;
            }
            Answer decision = plan.apply(arrivals.getAndIncrement());
            if (decision.close()) {
                closed.increment();
                ctx.close();
                return;
            }
            if (decision.silent()) {
                silent.increment();
                return;
            }
            String code = decision.code();
            if (hsm != null && request.has(64) && !macVerifies(ctx.channel(), body)) {
                badMacs.increment();
                code = "A0";
            }
            code = linkRefund(ctx.channel(), request, answer, code);
            codes.computeIfAbsent(code, c -> new LongAdder()).increment();
            delays.computeIfAbsent(decision.delayMillis(), d -> new LongAdder()).increment();
            answer.set(39, code);
            if (decision.delayMillis() == 0) {
                send(ctx, prefix, answer);
            } else {
                ctx.executor().schedule(() -> send(ctx, prefix, answer), decision.delayMillis(), TimeUnit.MILLISECONDS);
            }
        }

        /** As a switch does: an approved purchase gets an RRN, a refund must name one of its connection's, once. */
        private String linkRefund(Channel channel, IsoMessage request, IsoMessage answer, String code) {
            String processingCode = request.has(3) ? request.getString(3) : "";
            java.util.Set<String> refundable = refundableByChannel.computeIfAbsent(channel, c -> ConcurrentHashMap.newKeySet());
            if (processingCode.startsWith("20")) {
                if (request.has(37) && refundable.remove(request.getString(37))) {
                    refundsOfOriginals.increment();
                    return code;
                }
                refundsWithoutOriginal.increment();
                return "25";
            }
            if (processingCode.equals("000000") && request.mti().equals("0200") && code.equals("00")) {
                String rrn = String.format("%012d", rrns.incrementAndGet());
                answer.set(37, rrn);
                refundable.add(rrn);
            }
            return code;
        }

        private boolean macVerifies(Channel channel, byte[] body) {
            SecureKey tak = takByChannel.get(channel);
            byte[] block = MessageMacs.macBlock(body, spec);
            return tak != null && hsm.verifyMac(tak, dialect.macAlgorithm(), block, 0, block.length, MessageMacs.mac(body, spec));
        }

        private void send(ChannelHandlerContext ctx, byte[] prefix, IsoMessage answer) {
            byte[] out = answer.encode(spec);
            ctx.writeAndFlush(Unpooled.wrappedBuffer(prefix, out));
        }
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        open.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
