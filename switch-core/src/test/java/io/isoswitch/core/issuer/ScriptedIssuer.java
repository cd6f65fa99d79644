package io.isoswitch.core.issuer;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.codec.framing.Frame;
import io.isoswitch.codec.framing.Framing;
import io.isoswitch.codec.framing.FramingOptions;
import io.isoswitch.codec.spec.Dialects;
import io.isoswitch.codec.spec.MessageSpec;
import io.isoswitch.security.ExportedKey;
import io.isoswitch.security.Hsm;
import io.isoswitch.security.KeyAlgorithm;
import io.isoswitch.security.KeyKind;
import io.isoswitch.security.MacAlgorithm;
import io.isoswitch.security.PinBlockFormat;
import io.isoswitch.security.SecureKey;
import io.isoswitch.sim.wire.MessageMacs;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
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
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An issuer host written for the tests: a Netty server on 127.0.0.1 speaking the link's dialect
 * and framing, that answers network management (sign-on with a fresh ZPK and ZAK under the ZMK it
 * shares with the switch, echo, sign-off) and financial requests, and can be told to misbehave:
 * stay silent, hold answers until released, answer for another institution, answer twice, or drop
 * the connection. It records what it received, in order.
 */
final class ScriptedIssuer implements AutoCloseable {
    /** The PIN the issuer expects for every card. */
    static final String PIN_OF_EVERY_CARD = "1234";

    /** What to do with a financial request. */
    enum Mode { ANSWER, SILENT, HOLD, WRONG_INSTITUTION, DUPLICATE, DROP, BAD_MAC }

    /**
     * One message received: its MTI, network code (field 70) or null, STAN, field 32, connection
     * number, and whether it carried a MAC that verifies under the connection's ZAK (null: no MAC).
     */
    record Received(String mti, String networkCode, int stan, String institution, int connection, Boolean macVerified) {
        boolean is(String code) {
            return code.equals(networkCode);
        }
    }

    private final MessageSpec spec = Dialects.iso87binary();
    private final Framing framing = Framing.of("binary2", FramingOptions.plain());
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final ChannelGroup children = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<IsoMessage> networkAnswersReceived = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Held> held = new ConcurrentLinkedQueue<>();
    private final AtomicInteger connectionsAccepted = new AtomicInteger();
    private final Hsm hsm;
    private final SecureKey zmk;
    private final java.util.Map<Integer, SecureKey> zonePinKeys = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<Integer, SecureKey> zoneMacKeys = new java.util.concurrent.ConcurrentHashMap<>();
    private final SecureKey pinCheckKey;
    private volatile Mode mode = Mode.ANSWER;
    private volatile boolean refuseSignOn;
    private volatile boolean answerEchoes = true;
    private Channel server;
    private int port;

    private record Held(Channel channel, IsoMessage answer) {
    }

    /** @param hsm the issuer's own HSM, holding {@code zmk}; both null for an issuer without key exchange */
    ScriptedIssuer(Hsm hsm, SecureKey zmk) {
        this.hsm = hsm;
        this.zmk = zmk;
        this.pinCheckKey = hsm == null ? null : hsm.generateKey(KeyKind.ZPK, KeyAlgorithm.TDES_2KEY);
    }

    /** Listens on a free port (first start) or on the same port again (restart). */
    ScriptedIssuer start() {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        children.add(ch);
                        ch.pipeline().addLast(framing.newDecoder(), framing.encoder(),
                                new Handler(connectionsAccepted.incrementAndGet()));
                    }
                })
                .bind("127.0.0.1", port).syncUninterruptibly().channel();
        port = ((java.net.InetSocketAddress) server.localAddress()).getPort();
        return this;
    }

    /** Stops listening and closes every connection: the issuer is down. */
    void stop() {
        server.close().syncUninterruptibly();
        children.close().syncUninterruptibly();
    }

    int port() {
        return port;
    }

    void mode(Mode value) {
        mode = value;
    }

    void refuseSignOn(boolean value) {
        refuseSignOn = value;
    }

    void answerEchoes(boolean value) {
        answerEchoes = value;
    }

    /** Closes every open connection (the listener stays up). */
    void dropConnections() {
        children.close().syncUninterruptibly();
    }

    /** Sends the held answers now (they are late if their requests have timed out). */
    void releaseHeld() {
        Held next;
        while ((next = held.poll()) != null) {
            write(next.channel(), next.answer());
        }
    }

    int heldCount() {
        return held.size();
    }

    List<Received> received() {
        return received;
    }

    long count(String networkCode) {
        return received.stream().filter(r -> r.is(networkCode)).count();
    }

    List<Received> financial() {
        return received.stream().filter(r -> r.networkCode() == null).toList();
    }

    int connectionsAccepted() {
        return connectionsAccepted.get();
    }

    /** The ZPK the issuer sent at the last sign-on of connection {@code connection} (numbered from 1), or null. */
    SecureKey zonePinKey(int connection) {
        return zonePinKeys.get(connection);
    }

    /** Sends the issuer's own network request (e.g. an echo) on every open connection. */
    void sendToSwitch(IsoMessage request) {
        for (Channel child : children) {
            write(child, request);
        }
    }

    /** The switch's answers to the issuer's own network requests. */
    List<IsoMessage> networkAnswersReceived() {
        return networkAnswersReceived;
    }

    private void write(Channel channel, IsoMessage message) {
        ByteBuf out = channel.alloc().buffer();
        message.encode(spec, out);
        channel.writeAndFlush(new Frame(out, 0));
    }

    @Override
    public void close() {
        if (server != null) {
            stop();
        }
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Handler extends SimpleChannelInboundHandler<Frame> {
        private final int connection;

        Handler(int connection) {
            super(Frame.class);
            this.connection = connection;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
            IsoMessage request = IsoMessage.decode(spec, frame.body());
            String mti = request.mti();
            if (mti.equals("0810")) {
                networkAnswersReceived.add(request);
                return;
            }
            String code = mti.equals("0800") ? request.getString(70) : null;
            received.add(new Received(mti, code, Integer.parseInt(request.getString(11)), request.getString(32), connection,
                    macVerified(frame.body(), request)));
            IsoMessage answer = answerTo(request);
            if (code != null) {
                if (!"301".equals(code) || answerEchoes) {
                    write(ctx.channel(), answer);
                }
                return;
            }
            if (mode == Mode.WRONG_INSTITUTION) {
                answer.set(32, "99999");
            }
            if (request.has(64) || request.has(128)) {
                sign(answer);
            }
            if (mode == Mode.BAD_MAC) {
                byte[] mac = answer.getBytes(answer.has(128) ? 128 : 64).clone();
                mac[0] ^= 0x01;
                answer.set(answer.has(128) ? 128 : 64, mac);
            }
            switch (mode) {
                case ANSWER, WRONG_INSTITUTION, BAD_MAC -> write(ctx.channel(), answer);
                case SILENT -> { }
                case HOLD -> held.add(new Held(ctx.channel(), answer));
                case DUPLICATE -> {
                    write(ctx.channel(), answer);
                    write(ctx.channel(), answer);
                }
                case DROP -> ctx.close();
            }
        }

        private IsoMessage answerTo(IsoMessage request) {
            String mti = request.mti();
            IsoMessage answer = new IsoMessage(mti.substring(0, 2) + (char) (mti.charAt(2) + 1) + mti.charAt(3));
            for (int field : new int[] {2, 3, 4, 7, 11, 12, 13, 32, 33, 37, 41, 42, 49, 70}) {
                if (request.has(field)) {
                    answer.set(field, request.getString(field));
                }
            }
            String code = request.getString(70);
            boolean refused = "001".equals(code) && refuseSignOn;
            answer.set(39, refused ? "91" : "00");
            if ("001".equals(code) && !refused && hsm != null) {
                answer.set(48, newKeys());
            }
            if (code == null) {
                answer.set(39, pinCorrect(request) ? "00" : "55");
                answer.set(38, "A" + request.getString(11).substring(1));
            }
            return answer;
        }

        private Boolean macVerified(ByteBuf body, IsoMessage request) {
            byte[] bytes = io.netty.buffer.ByteBufUtil.getBytes(body);
            byte[] block = MessageMacs.macBlock(bytes, spec);
            SecureKey zak = zoneMacKeys.get(connection);
            if (block == null || zak == null) {
                return block == null ? null : false;
            }
            return hsm.verifyMac(zak, MacAlgorithm.ANSI_X9_19, block, 0, block.length, request.getBytes(request.has(128) ? 128 : 64));
        }

        /** MACs a financial answer as an issuer does when the request came MACed: X9.19 under this connection's ZAK. */
        private void sign(IsoMessage answer) {
            SecureKey zak = zoneMacKeys.get(connection);
            // sets the MAC field on the answer itself
            MessageMacs.encodeSigned(answer, spec, block -> hsm.generateMac(zak, MacAlgorithm.ANSI_X9_19, block, 0, block.length));
        }

        /** A fresh ZPK and ZAK for this connection, under the ZMK, as the issuer simulator sends them. */
        private String newKeys() {
            SecureKey zpk = hsm.generateKey(KeyKind.ZPK, KeyAlgorithm.TDES_2KEY);
            SecureKey zak = hsm.generateKey(KeyKind.ZAK, KeyAlgorithm.TDES_2KEY);
            zonePinKeys.put(connection, zpk);
            zoneMacKeys.put(connection, zak);
            List<ExportedKey> exported = List.of(hsm.exportKey(zpk, zmk), hsm.exportKey(zak, zmk));
            return ZoneKeyData.format(exported);
        }

        /** No PIN block passes; a PIN block must hold PIN_OF_EVERY_CARD under this connection's ZPK. */
        private boolean pinCorrect(IsoMessage request) {
            byte[] block = request.getBytes(52);
            if (block == null) {
                return true;
            }
            String pan = request.getString(2);
            byte[] translated = hsm.translatePin(zonePinKeys.get(connection), block, PinBlockFormat.ISO_0, pan,
                    pinCheckKey, PinBlockFormat.ISO_0);
            return java.util.Arrays.equals(translated, hsm.encryptPin(pinCheckKey, PIN_OF_EVERY_CARD, pan, PinBlockFormat.ISO_0));
        }
    }
}
