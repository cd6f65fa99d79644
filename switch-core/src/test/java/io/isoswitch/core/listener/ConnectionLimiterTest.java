package io.isoswitch.core.listener;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ConnectionLimiterTest {
    private final AtomicInteger refused = new AtomicInteger();
    private final ConnectionLimiter limiter = new ConnectionLimiter("test", 2, open -> refused.incrementAndGet());

    @Test
    void closesAConnectionBeyondTheCapAndCountsIt() {
        EmbeddedChannel first = new EmbeddedChannel(limiter);
        EmbeddedChannel second = new EmbeddedChannel(limiter);
        EmbeddedChannel third = new EmbeddedChannel(limiter);
        assertThat(first.isOpen()).isTrue();
        assertThat(second.isOpen()).isTrue();
        assertThat(third.isOpen()).isFalse();
        assertThat(refused).hasValue(1);
        assertThat(limiter.openConnections()).isEqualTo(2);
        first.finishAndReleaseAll();
        second.finishAndReleaseAll();
    }

    /**
     * A flood of refused connections writes a WARN a second at most, while the metric counts each:
     * an attacker's 1,500 connections over the cap wrote 1,000 lines.
     */
    @Test
    void aFloodOfRefusalsIsCountedEveryOneButLoggedOnceASecondAtMost() {
        Logger log = (Logger) LoggerFactory.getLogger(ConnectionLimiter.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        log.addAppender(logged);
        long started = System.nanoTime();
        try {
            EmbeddedChannel first = new EmbeddedChannel(limiter);
            EmbeddedChannel second = new EmbeddedChannel(limiter);
            for (int i = 0; i < 200; i++) {
                new EmbeddedChannel(limiter).finishAndReleaseAll();
            }
            long seconds = (System.nanoTime() - started) / 1_000_000_000L;
            assertThat(refused).hasValue(200);
            assertThat(logged.list).hasSizeBetween(1, (int) seconds + 1);
            first.finishAndReleaseAll();
            second.finishAndReleaseAll();
        } finally {
            log.detachAppender(logged);
        }
    }

    @Test
    void aClosedConnectionFreesItsSlotButARefusedOneTakesNone() {
        EmbeddedChannel first = new EmbeddedChannel(limiter);
        EmbeddedChannel second = new EmbeddedChannel(limiter);
        EmbeddedChannel refusedOne = new EmbeddedChannel(limiter);
        refusedOne.finishAndReleaseAll();
        first.close();
        assertThat(limiter.openConnections()).isEqualTo(1);
        EmbeddedChannel next = new EmbeddedChannel(limiter);
        assertThat(next.isOpen()).isTrue();
        assertThat(limiter.openConnections()).isEqualTo(2);
        second.finishAndReleaseAll();
        next.finishAndReleaseAll();
    }

    /**
     * A host given an IPv6 /64 could open each connection from another of its addresses and pass
     * any per-address cap: IPv6 peers are counted by their /64, IPv4 peers by their address.
     */
    @Test
    void peersAreCountedByTheirIpv4AddressOrTheirIpv6Slash64() throws Exception {
        Object first = ConnectionLimiter.addressOf(new java.net.InetSocketAddress(java.net.InetAddress.getByName("2001:db8:1:2::1"), 4000));
        Object sameNetwork = ConnectionLimiter.addressOf(
                new java.net.InetSocketAddress(java.net.InetAddress.getByName("2001:db8:1:2:ffff:ffff:ffff:fffe"), 4001));
        Object otherNetwork = ConnectionLimiter.addressOf(new java.net.InetSocketAddress(java.net.InetAddress.getByName("2001:db8:1:3::1"), 4000));
        assertThat(sameNetwork).isEqualTo(first);
        assertThat(otherNetwork).isNotEqualTo(first);
        Object v4 = ConnectionLimiter.addressOf(new java.net.InetSocketAddress(java.net.InetAddress.getByName("192.0.2.1"), 4000));
        assertThat(ConnectionLimiter.addressOf(new java.net.InetSocketAddress(java.net.InetAddress.getByName("192.0.2.1"), 5000))).isEqualTo(v4);
        assertThat(ConnectionLimiter.addressOf(new java.net.InetSocketAddress(java.net.InetAddress.getByName("192.0.2.2"), 4000))).isNotEqualTo(v4);
    }
}
