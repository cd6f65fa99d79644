package io.isoswitch.codec.tlv;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The reader is a flyweight: walking field 55 again and again allocates nothing. */
class TlvReaderAllocationTest {
    private static final int ROUNDS = 20_000;
    /** Room for the meter's own bookkeeping; a single allocation per element would be megabytes. */
    private static final long SLACK_BYTES = 4096;

    @Test
    void iteratingElementsAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        ByteBuf data = Field55Samples.hex(Field55Samples.UNIONPAY_QPBOC_PURCHASE);
        TlvReader reader = new TlvReader();
        long checksum = walk(reader, data, 1_000);
        long before = threads.getCurrentThreadAllocatedBytes();
        checksum += walk(reader, data, ROUNDS);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(checksum).isPositive();
        assertThat(allocated).isLessThan(SLACK_BYTES);
    }

    private static long walk(TlvReader reader, ByteBuf data, int rounds) {
        long sum = 0;
        for (int i = 0; i < rounds; i++) {
            reader.wrap(data, 0, data.readableBytes());
            while (reader.next()) {
                sum += reader.tag() + reader.valueLength() + data.getByte(reader.valueOffset());
            }
        }
        return sum;
    }
}
