package io.isoswitch.codec.framing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A frame begun must arrive whole within the frame timeout: a terminal that sends a length header
 * and part of a frame, then nothing, is cut off after the timeout instead of the idle timeout.
 * Driven on an EmbeddedChannel whose clock the test moves, so no test waits for real time.
 */
class PartialFrameTimeoutTest {
    private static final long TIMEOUT_MS = 3_000;
    private final List<Object> events = new ArrayList<>();
    private final List<Frame> frames = new ArrayList<>();
    private final EmbeddedChannel channel = new EmbeddedChannel();

    PartialFrameTimeoutTest() {
        channel.freezeTime();
        channel.pipeline().addLast(Framing.of("binary2", FramingOptions.plain().withFrameTimeoutMs(TIMEOUT_MS)).newDecoder(),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        frames.add((Frame) msg);
                    }

                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                        events.add(evt);
                    }
                });
    }

    @AfterEach
    void release() {
        frames.forEach(Frame::release);
        channel.finishAndReleaseAll();
    }

    private void receive(int... bytes) {
        byte[] chunk = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            chunk[i] = (byte) bytes[i];
        }
        channel.writeInbound(Unpooled.wrappedBuffer(chunk));
    }

    private void elapse(long ms) {
        channel.advanceTimeBy(ms, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
    }

    @Test
    void aFrameBegunAndNotCompletedInTimeClosesTheConnectionWithAnIncompleteFrameEvent() {
        receive(0x00, 0x10, 0x02, 0x00, 0x30);
        elapse(TIMEOUT_MS - 1);
        assertThat(channel.isOpen()).isTrue();
        elapse(1);
        assertThat(channel.isOpen()).isFalse();
        assertThat(events).singleElement().isInstanceOfSatisfying(FrameException.class, e -> {
            assertThat(e.incomplete()).isTrue();
            assertThat(e.getMessage()).isEqualTo("frame length header at stream offset 0: expected the whole frame of 18 bytes"
                    + " within 3000 ms, found 5 bytes");
        });
    }

    @Test
    void halfALengthHeaderIsAFrameBegunToo() {
        receive(0x00);
        elapse(TIMEOUT_MS);
        assertThat(channel.isOpen()).isFalse();
        assertThat(events).singleElement().isInstanceOfSatisfying(FrameException.class, e ->
                assertThat(e.getMessage()).endsWith("expected a whole length header within 3000 ms, found 1 bytes"));
    }

    @Test
    void bytesTricklingInDoNotRestartTheClock() {
        receive(0x00, 0x04);
        for (int i = 0; i < 3; i++) {
            elapse(TIMEOUT_MS / 4);
            receive(0x41);
        }
        assertThat(channel.isOpen()).isTrue();
        elapse(TIMEOUT_MS / 4);
        assertThat(channel.isOpen()).isFalse();
        assertThat(frames).isEmpty();
    }

    @Test
    void aFrameCompletedInTimeStopsTheClockAndTheNextFrameGetsAFullTimeout() {
        receive(0x00, 0x02, 0x41);
        elapse(TIMEOUT_MS - 1);
        // the first frame completes, and the next one begins in the same read
        receive(0x42, 0x00, 0x02);
        elapse(TIMEOUT_MS - 1);
        assertThat(channel.isOpen()).isTrue();
        receive(0x43, 0x44);
        elapse(10 * TIMEOUT_MS);
        assertThat(channel.isOpen()).isTrue();
        assertThat(frames).hasSize(2);
        assertThat(events).isEmpty();
    }

    @Test
    void aConnectionNotReadingForBackPressureIsNotTimedOut() {
        receive(0x00, 0x04, 0x41);
        channel.config().setAutoRead(false);
        elapse(3 * TIMEOUT_MS);
        assertThat(channel.isOpen()).isTrue();
        channel.config().setAutoRead(true);
        elapse(TIMEOUT_MS);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void withoutATimeoutAPartialFrameWaits() {
        EmbeddedChannel untimed = new EmbeddedChannel(Framing.of("binary2", FramingOptions.plain()).newDecoder());
        untimed.freezeTime();
        untimed.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x00, 0x10, 0x02}));
        untimed.advanceTimeBy(1, TimeUnit.HOURS);
        untimed.runScheduledPendingTasks();
        assertThat(untimed.isOpen()).isTrue();
        untimed.finishAndReleaseAll();
    }
}
