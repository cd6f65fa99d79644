package io.isoswitch.bench.e2e;

import java.io.InputStream;
import java.util.concurrent.CountDownLatch;
import org.jpos.iso.ISOException;
import org.jpos.iso.ISOMsg;
import org.jpos.iso.ISOServer;
import org.jpos.iso.channel.NACChannel;
import org.jpos.iso.packager.GenericPackager;

/**
 * The yardstick: a jPOS 3 {@link ISOServer} with a {@link NACChannel} (2-byte binary length, no
 * header) and jPOS's own {@code iso87binary} GenericPackager, answering every request (0800 with
 * 0810, 0200 with 0210, ...) with response code 00 and doing nothing else: no MAC, no PIN, no
 * journal. This is how a minimal jPOS application answers, so the switch's full path is measured
 * against jPOS's bare I/O and codec.
 *
 * <p>{@code java -cp benchmarks.jar io.isoswitch.bench.e2e.JposYardstick PORT}
 */
public final class JposYardstick {
    /** Sessions jPOS may hold at once. */
    private static final int MAX_SESSIONS = 20_000;

    private JposYardstick() {
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 9583;
        GenericPackager packager;
        try (InputStream xml = JposYardstick.class.getResourceAsStream("/packager/iso87binary.xml")) {
            packager = new GenericPackager(xml);
        }
        NACChannel channel = new NACChannel(packager, null);
        ISOServer server = new ISOServer(port, channel, MAX_SESSIONS);
        // the configuration is what creates the server's session executor (virtual threads in jPOS 3)
        server.setConfiguration(new org.jpos.core.SimpleConfiguration());
        if (args.length > 1 && "--log".equals(args[1])) {
            org.jpos.util.Logger logger = new org.jpos.util.Logger();
            logger.addListener(new org.jpos.util.SimpleLogListener(System.out));
            server.setLogger(logger, "server");
            channel.setLogger(logger, "channel");
        }
        server.addISORequestListener((source, request) -> {
            try {
                ISOMsg answer = (ISOMsg) request.clone();
                answer.setResponseMTI();
                answer.set(39, "00");
                source.send(answer);
                return true;
            } catch (ISOException | java.io.IOException e) {
                return false;
            }
        });
        Thread thread = Thread.ofPlatform().name("jpos-yardstick").start(server);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            stop.countDown();
        }, "jpos-yardstick-stop"));
        System.out.println("jpos yardstick serving on port " + port);
        stop.await();
        thread.join(2_000);
    }
}
