package io.isoswitch.testkit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

class LeakRecorderTest {
    private static ByteBuf held;

    @Test
    void reportsABufferThatWasNeverReleased() {
        leakOneBuffer();
        assertThatThrownBy(LeakRecorder::assertNoLeaks)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("leak");
    }

    @Test
    void staysQuietWhenEveryBufferIsReleased() {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.buffer(16);
        buf.writeInt(42);
        buf.release();
        LeakRecorder.assertNoLeaks();
    }

    @Test
    void theCheckAfterATestThatLeftABufferUnreleasedReportsItsLeak() {
        leakOneBuffer();
        assertThatThrownBy(LeakRecorder::assertNoLeaksIfAnyBufferIsOpen)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("leak");
    }

    @Test
    void aBufferMadeBeforeTheLastCheckThatBecomesGarbageIsReportedByTheNextFullCheck() {
        held = PooledByteBufAllocator.DEFAULT.buffer(16);
        LeakRecorder.assertNoLeaks();
        held = null;
        PooledByteBufAllocator.DEFAULT.buffer(16).release();
        // nothing made since the full check is open: the per-test check skips its collections
        LeakRecorder.assertNoLeaksIfAnyBufferIsOpen();
        assertThatThrownBy(LeakRecorder::assertNoLeaks)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("leak");
    }

    private static void leakOneBuffer() {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.buffer(16);
        buf.writeInt(7);
        // dropped on purpose without release()
    }
}
