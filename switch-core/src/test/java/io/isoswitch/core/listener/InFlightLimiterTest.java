package io.isoswitch.core.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class InFlightLimiterTest {
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final InFlightLimiter limiter = new InFlightLimiter(channel, 3);

    @Test
    void stopsReadingAtTheCapAndResumesWhenAnAnswerLeaves() {
        limiter.started();
        limiter.started();
        assertThat(channel.config().isAutoRead()).isTrue();
        limiter.started();
        assertThat(channel.config().isAutoRead()).isFalse();
        limiter.finished();
        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(limiter.inFlight()).isEqualTo(2);
        channel.finishAndReleaseAll();
    }

    @Test
    void stopsReadingWhileTheChannelIsNotWritableWhateverTheCount() {
        limiter.started();
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        limiter.writabilityChanged();
        assertThat(channel.config().isAutoRead()).isFalse();
        limiter.finished();
        assertThat(channel.config().isAutoRead()).isFalse();
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        limiter.writabilityChanged();
        assertThat(channel.config().isAutoRead()).isTrue();
        channel.finishAndReleaseAll();
    }

    @Test
    void refusesToFinishMoreThanWasStarted() {
        assertThatThrownBy(limiter::finished).isInstanceOf(IllegalStateException.class);
        channel.finishAndReleaseAll();
    }
}
