package io.isoswitch.core.listener;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.codec.framing.Frame;
import io.isoswitch.codec.spec.Dialects;
import io.isoswitch.core.config.ListenerConfig;
import io.isoswitch.core.metrics.SwitchMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Regression: a terminal that kept sending and never read its answers grew the switch's memory by
 * every answer it left untaken (the answers queued in its channel, the in-flight cap freed as each
 * was queued, so the switch read on): one unauthenticated connection flooding echo requests took a
 * node from 0.2 to 6.3 GB in 30 s. The switch now stops reading a connection while its unsent
 * answers are over the write buffer's high water mark (the channel is not writable), and reads on
 * once the terminal takes them.
 */
class TerminalConnectionBackPressureTest {
    private final ListenerConfig config = new ListenerConfig("iso87binary", "127.0.0.1", 0, "iso87binary", null, 10, 60_000, 64, 0);
    private final RequestProcessor approveNow =
            exchange -> CompletableFuture.completedFuture(new Decision("00", Map.of(38, "A1B2C3"), null, "purchase", "bank-a"));
    private final EmbeddedChannel channel = new EmbeddedChannel(
            new TerminalConnection(DialectProfile.of(config), approveNow, new SwitchMetrics(new SimpleMeterRegistry()), 64));

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
    }

    @Test
    void stopsReadingWhileTheTerminalLeavesItsAnswersUntakenAndReadsOnWhenItTakesThem() {
        channel.writeInbound(frame("000001"));
        Frame answer = channel.readOutbound();
        assertThat(answer).as("the first answer").isNotNull();
        answer.release();
        assertThat(channel.config().isAutoRead()).isTrue();

        // the terminal stops taking its answers: those not yet sent pass the high water mark
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        channel.runPendingTasks();
        assertThat(channel.isWritable()).isFalse();
        assertThat(channel.config().isAutoRead()).as("reading while the answers pile up").isFalse();

        // it takes them again
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        channel.runPendingTasks();
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    @Test
    void anAnswerLeavingWhileTheAnswersPileUpDoesNotResumeReading() {
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        channel.runPendingTasks();

        // a request read before the pause is answered: the in-flight cap has room, the channel none
        channel.writeInbound(frame("000002"));
        assertThat(channel.config().isAutoRead()).isFalse();
    }

    private static Frame frame(String stan) {
        byte[] body = new IsoMessage("0200").set(2, "4111111111111111").set(3, "000000").set(4, "000000001000")
                .set(11, stan).set(41, "TERM0001").set(42, "MERCHANT0000001").set(49, "156").encode(Dialects.iso87binary());
        return new Frame(Unpooled.wrappedBuffer(body), 0);
    }
}
