package io.isoswitch.core.listener;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

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
