package io.isoswitch.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.codec.spec.Dialects;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Steady-state decoding and encoding allocate nothing: measured with the JVM's per-thread
 * allocation counter over many messages (an allocation count, not a timing).
 */
class SteadyStateAllocationTest {
    private static final int MESSAGES = 2_000;

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void wrappingAndReadingTypedFieldsAllocatesNothing() {
        IsoMessageView view = new IsoMessageView(Dialects.iso87binary());
        ByteBuf frame = Unpooled.wrappedBuffer(Hex.bytes(Hex.golden("purchase-0200-iso87binary.hex")));
        long sum = 0;
        for (int i = 0; i < MESSAGES; i++) {
            sum += view.wrap(frame).validate().amountMinor();
        }
        long before = allocatedBytes();
        for (int i = 0; i < MESSAGES; i++) {
            view.wrap(frame).validate();
            sum += view.amountMinor() + view.stan() + view.mti() + view.length(35);
        }
        long allocated = allocatedBytes() - before;
        assertThat(sum).isPositive();
        assertThat(allocated).as("bytes allocated by %d decodes", MESSAGES).isLessThan(MESSAGES);
    }

    @Test
    void writingNumbersTextAndEchoedFieldsAllocatesNothing() {
        IsoMessageView request = new IsoMessageView(Dialects.iso87binary())
                .wrap(Unpooled.wrappedBuffer(Hex.bytes(Hex.golden("purchase-0200-iso87binary.hex"))));
        IsoMessageWriter writer = new IsoMessageWriter(Dialects.iso87binary());
        ByteBuf out = new UnpooledHeapByteBuf(UnpooledByteBufAllocator.DEFAULT, 512, 4096);
        try {
            long sum = 0;
            for (int round = 0; round < 2; round++) {
                long before = allocatedBytes();
                for (int i = 0; i < MESSAGES; i++) {
                    out.clear();
                    writer.begin(out, 210).copy(request, 2).copy(request, 3).field(4, 12345L).copy(request, 11)
                            .field(37, "529221123456").field(39, "00").copy(request, 41).copy(request, 42);
                    sum += writer.finish();
                }
                if (round == 1) {
                    assertThat(allocatedBytes() - before).as("bytes allocated by %d encodes", MESSAGES).isLessThan(MESSAGES);
                }
            }
            assertThat(sum).isPositive();
        } finally {
            out.release();
        }
    }
}
