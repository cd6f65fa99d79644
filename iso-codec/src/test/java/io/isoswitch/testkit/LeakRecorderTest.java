package io.isoswitch.testkit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

class LeakRecorderTest {
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

    private static void leakOneBuffer() {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.buffer(16);
        buf.writeInt(7);
        // dropped on purpose without release()
    }
}
