package io.isoswitch.bench.e2e;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.codec.spec.Dialects;
import io.isoswitch.codec.spec.MessageSpec;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Bytes allocated per {@link IsoMessage#decode} of the bench's 247-byte 0200, counted by the JVM
 * for this thread (exact whatever else loads the machine, unlike a time). The issuer response path
 * and the simulators decode every message this way.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar io.isoswitch.bench.e2e.DecodeAllocationProbe}
 */
public final class DecodeAllocationProbe {
    private static final int WARMUP = 200_000;
    private static final int MEASURED = 500_000;

    private DecodeAllocationProbe() {
    }

    public static void main(String[] args) throws IOException {
        byte[] frame;
        try (InputStream in = DecodeAllocationProbe.class.getResourceAsStream("/message-0200.hex")) {
            frame = HexFormat.of().parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip());
        }
        MessageSpec spec = Dialects.byName("iso87binary");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < WARMUP; i++) {
            IsoMessage.decode(spec, frame);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < MEASURED; i++) {
            IsoMessage.decode(spec, frame);
        }
        long after = threads.getCurrentThreadAllocatedBytes();
        System.out.printf("IsoMessage.decode, %d-byte iso87binary 0200: %d bytes allocated per decode%n", frame.length,
                (after - before) / MEASURED);
    }
}
