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
}
