package io.isoswitch.codec.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TransportTest {

    @Test
    void namesAreReadWhateverTheirCaseAndAutoMeansTheTopOfTheList() {
        assertThat(Transport.parse("io_uring")).isEqualTo(Transport.IO_URING);
        assertThat(Transport.parse("IO-URING")).isEqualTo(Transport.IO_URING);
        assertThat(Transport.parse(" Epoll ")).isEqualTo(Transport.EPOLL);
        assertThat(Transport.parse("nio")).isEqualTo(Transport.NIO);
        assertThat(Transport.parse("auto")).isEqualTo(Transport.IO_URING);
        assertThat(Transport.parse(null)).isEqualTo(Transport.IO_URING);
        assertThat(Transport.parse("")).isEqualTo(Transport.IO_URING);
    }

    @Test
    void anUnknownNameIsRefusedNamingTheProperty() {
        assertThatThrownBy(() -> Transport.select("kqueue"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Transport.PROPERTY).hasMessageContaining("kqueue");
    }

    @Test
    void aTransportThatDoesNotLoadFallsBackDownTheList() {
        Set<Transport> none = EnumSet.noneOf(Transport.class);
        Set<Transport> epollOnly = EnumSet.of(Transport.EPOLL);
        Set<Transport> all = EnumSet.allOf(Transport.class);
        assertThat(Transport.select("auto", epollOnly::contains)).isEqualTo(Transport.EPOLL);
        assertThat(Transport.select("io_uring", epollOnly::contains)).isEqualTo(Transport.EPOLL);
        assertThat(Transport.select("auto", none::contains)).isEqualTo(Transport.NIO);
        assertThat(Transport.select("epoll", none::contains)).isEqualTo(Transport.NIO);
        assertThat(Transport.select("auto", all::contains)).isEqualTo(Transport.IO_URING);
        // a choice lower in the list is kept even when a better one loads
        assertThat(Transport.select("epoll", all::contains)).isEqualTo(Transport.EPOLL);
        assertThat(Transport.select("nio", all::contains)).isEqualTo(Transport.NIO);
    }

    /**
     * On Linux x86-64 the native transports ship with the build: epoll must load, and io_uring too
     * where the kernel allows it. A missing native library would otherwise fall back to NIO silently.
     */
    @Test
    void theNativeTransportsLoadWhereTheBuildShipsThem() throws Exception {
        boolean linuxX64 = System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")
                && Set.of("amd64", "x86_64").contains(System.getProperty("os.arch"));
        Path disabled = Path.of("/proc/sys/kernel/io_uring_disabled");
        boolean kernelAllowsIoUring = Files.isReadable(disabled) && Files.readString(disabled).trim().equals("0");
        assertThat(Transport.EPOLL.isAvailable()).as("epoll: %s", Transport.EPOLL.unavailabilityCause()).isEqualTo(linuxX64);
        if (linuxX64 && kernelAllowsIoUring) {
            assertThat(Transport.IO_URING.isAvailable()).as("io_uring: %s", Transport.IO_URING.unavailabilityCause()).isTrue();
            assertThat(Transport.select("auto")).isEqualTo(Transport.IO_URING);
        }
        assertThat(Transport.NIO.isAvailable()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void eachTransportThatLoadsCarriesBytesBetweenItsServerAndClientChannels(Transport transport) throws Exception {
        if (!transport.isAvailable()) {
            assertThat(Transport.select(transport.label())).isNotEqualTo(transport);
            return;
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, transport.ioHandlerFactory());
        try {
            Channel server = new ServerBootstrap().group(group).channel(transport.serverChannel())
                    .childHandler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ctx.writeAndFlush(msg);
                        }
                    }).bind("127.0.0.1", 0).sync().channel();
            CompletableFuture<String> echoed = new CompletableFuture<>();
            StringBuilder received = new StringBuilder();
            Channel client = new Bootstrap().group(group).channel(transport.socketChannel())
                    .handler(new SimpleChannelInboundHandler<ByteBuf>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                            received.append(msg.toString(StandardCharsets.US_ASCII));
                            if (received.length() >= 4) {
                                echoed.complete(received.toString());
                            }
                        }
                    }).connect(server.localAddress()).sync().channel();
            assertThat(server.getClass()).isEqualTo(transport.serverChannel());
            assertThat(((InetSocketAddress) client.remoteAddress()).getPort())
                    .isEqualTo(((InetSocketAddress) server.localAddress()).getPort());
            client.writeAndFlush(Unpooled.copiedBuffer("0800", StandardCharsets.US_ASCII));
            assertThat(echoed.get(10, TimeUnit.SECONDS)).isEqualTo("0800");
            client.close().sync();
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
