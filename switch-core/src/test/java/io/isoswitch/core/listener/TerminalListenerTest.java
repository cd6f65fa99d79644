package io.isoswitch.core.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.codec.spec.Dialects;
import io.isoswitch.core.config.ListenerConfig;
import io.isoswitch.core.metrics.SwitchMetrics;
import io.isoswitch.core.net.EventLoops;
import io.isoswitch.core.testing.TestTerminalClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TerminalListenerTest {
    private static final byte[] NO_PREFIX = {};
    /** TPDU (60, destination 0003, source 0000) and the 6-byte UnionPay header. */
    private static final byte[] CUP_PREFIX = {0x60, 0x00, 0x03, 0x00, 0x00, 0x60, 0x31, 0x00, 0x31, 0x00, 0x01};
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SwitchMetrics metrics = new SwitchMetrics(registry);
    private final EventLoops loops = EventLoops.create(1);
    private final AtomicInteger processed = new AtomicInteger();
    private TerminalListener listener;

    /** Approves everything with an auth code, as a stand-in for the pipeline. */
    private final RequestProcessor approveAll = exchange -> {
        processed.incrementAndGet();
        return CompletableFuture.supplyAsync(() -> new Decision("00", Map.of(38, "A1B2C3"), null, "purchase", "bank-a"));
    };

    @AfterEach
    void stop() {
        if (listener != null) {
            listener.close();
        }
        loops.close();
    }

    private TerminalListener start(String dialect, RequestProcessor processor) {
        ListenerConfig config = new ListenerConfig(dialect, "127.0.0.1", 0, dialect, null, 10, 60_000, 4, 0);
        listener = TerminalListener.start(config, loops, processor, metrics);
        return listener;
    }

    @Test
    void aTakenPortIsNamedInTheFailure() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ListenerConfig config = new ListenerConfig("cup", "127.0.0.1", taken.getLocalPort(), "cup-pos", null, 10, 60_000, 4, 0);
            assertThatThrownBy(() -> TerminalListener.start(config, loops, approveAll, metrics))
                    .hasMessage("listener cup (cup-pos) cannot listen on 127.0.0.1:" + taken.getLocalPort())
                    .rootCause().hasMessageContaining("Address already in use");
        }
    }

    /** The message of a UnionPay answer frame, after its TPDU and header. */
    private static IsoMessage cupBody(byte[] frame) {
        return IsoMessage.decode(Dialects.cupPos(), java.util.Arrays.copyOfRange(frame, CUP_PREFIX.length, frame.length));
    }

    private static IsoMessage purchase(String stan) {
        return new IsoMessage("0200").set(2, "4111111111111111").set(3, "000000").set(4, "000000001000")
                .set(11, stan).set(41, "TERM0001").set(42, "MERCHANT0000001").set(49, "156");
    }

    @Test
    void answersEachRequestWithItsEchoFieldsAndTheDecision() throws Exception {
        start("iso87binary", approveAll);
        try (TestTerminalClient client = new TestTerminalClient(listener.port(), Dialects.iso87binary(), NO_PREFIX)) {
            IsoMessage answer = client.exchange(purchase("000123"));
            assertThat(answer.mti()).isEqualTo("0210");
            assertThat(answer.getString(11)).isEqualTo("000123");
            assertThat(answer.getString(4)).isEqualTo("000000001000");
            assertThat(answer.getString(41)).isEqualTo("TERM0001");
            assertThat(answer.getString(38)).isEqualTo("A1B2C3");
            assertThat(answer.getString(39)).isEqualTo("00");
        }
        assertThat(registry.get(SwitchMetrics.TRANSACTIONS).tag("response_code", "00").counter().count()).isEqualTo(1.0);
    }

    @Test
    void aFrameThatDoesNotDecodeButHasAnMtiIsAnsweredWithFormatErrorAndTheConnectionStays() throws Exception {
        start("iso87binary", approveAll);
        try (TestTerminalClient client = new TestTerminalClient(listener.port(), Dialects.iso87binary(), NO_PREFIX)) {
            byte[] good = purchase("000777").encode(Dialects.iso87binary());
            byte[] truncated = java.util.Arrays.copyOf(good, good.length - 5);
            IsoMessage answer = IsoMessage.decode(Dialects.iso87binary(), client.exchangeRaw(truncated));
            assertThat(answer.mti()).isEqualTo("0210");
            assertThat(answer.getString(39)).isEqualTo("30");
            // the connection still serves the next request
            assertThat(client.exchange(purchase("000778")).getString(39)).isEqualTo("00");
        }
        assertThat(registry.get(SwitchMetrics.DECODE_ERRORS).counter().count()).isEqualTo(1.0);
        assertThat(processed).hasValue(1);
    }

    @Test
    void aFrameWhoseMtiNamesNoRequestIsDroppedUnansweredAndTheConnectionStays() throws Exception {
        start("iso87binary", approveAll);
        try (TestTerminalClient client = new TestTerminalClient(listener.port(), Dialects.iso87binary(), NO_PREFIX)) {
            byte[] garbage = purchase("000780").encode(Dialects.iso87binary());
            // BCD "9900": digits, but no ISO 8583 version or class; a 9910 answer would be nonsense
            garbage[0] = (byte) 0x99;
            garbage[1] = 0x00;
            garbage[2] = (byte) 0xFF;
            client.sendRaw(garbage);
            // the next request on the same connection is answered, and is the only answer
            assertThat(client.exchange(purchase("000781")).getString(11)).isEqualTo("000781");
        }
        assertThat(registry.get(SwitchMetrics.DECODE_ERRORS).counter().count()).isEqualTo(1.0);
        assertThat(processed).hasValue(1);
    }

    /**
     * Regression: a well-formed message whose MTI is a response (0210, 0810) or no request at all
     * (9999) was processed and answered (0210 with 12, 9990 with 12): answering an answer invites
     * an endless exchange with a peer that does the same. It is dropped and counted instead.
     */
    @Test
    void aWellFormedMessageWhoseMtiNamesNoRequestIsDroppedUnansweredAndCounted() throws Exception {
        start("iso87binary", approveAll);
        try (TestTerminalClient client = new TestTerminalClient(listener.port(), Dialects.iso87binary(), NO_PREFIX)) {
            IsoMessage response = purchase("000790").set(39, "00");
            client.sendRaw(new IsoMessage("0210").set(2, "4111111111111111").set(3, "000000").set(4, "000000001000")
                    .set(11, "000790").set(39, "00").set(41, "TERM0001").encode(Dialects.iso87binary()));
            client.sendRaw(new IsoMessage("0810").set(11, "000791").set(39, "00").set(70, "001").encode(Dialects.iso87binary()));
            byte[] reserved = response.encode(Dialects.iso87binary());
            reserved[0] = (byte) 0x99; // BCD "9999": well formed, but version 9 and class 9 name nothing
            reserved[1] = (byte) 0x99;
            client.sendRaw(reserved);
            // the next request on the same connection is answered, and is the only answer
            assertThat(client.exchange(purchase("000792")).getString(11)).isEqualTo("000792");
        }
        assertThat(processed).hasValue(1);
        assertThat(registry.get(SwitchMetrics.DECODE_ERRORS).counter().count()).isEqualTo(3.0);
    }

    /**
     * Regression: a frame the framing refuses (a length beyond maxFrameBytes, a length header that
     * is not digits) closed the connection and was logged, but counted nowhere.
     */
    @Test
    void aBrokenFrameClosesTheConnectionAndIsCounted() throws Exception {
        start("iso87binary", approveAll);
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", listener.port())) {
            socket.getOutputStream().write(new byte[] {(byte) 0xEA, 0x60, 0x02, 0x00}); // a length of 60000
            socket.setSoTimeout(10_000);
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> registry.find(SwitchMetrics.DECODE_ERRORS).counter() != null
                        && registry.get(SwitchMetrics.DECODE_ERRORS).counter().count() == 1.0);
    }

    @Test
    void aNumericFieldWithANonDigitIsAFormatErrorAndIsNeverProcessed() throws Exception {
        start("iso87binary", approveAll);
        try (TestTerminalClient client = new TestTerminalClient(listener.port(), Dialects.iso87binary(), NO_PREFIX)) {
            byte[] bytes = purchase("000779").encode(Dialects.iso87binary());
            // MTI 2 + bitmap 8 + field 2 (1-byte BCD length + 8 bytes) = field 3 starts at 19
            bytes[19] = (byte) 0xAB;
            IsoMessage answer = IsoMessage.decode(Dialects.iso87binary(), client.exchangeRaw(bytes));
            assertThat(answer.getString(39)).isEqualTo("30");
            assertThat(answer.getString(11)).isEqualTo("000779");
        }
        assertThat(processed).hasValue(0);
    }

    /**
     * Regression, found driving iso87ascii with zemuldo's iso_8583 2.6.7 (Node.js) from outside: a
     * request whose layout decodes but whose field 4 holds a letter was answered 30 with its STAN and
     * without its terminal id, although 41 sits where the bitmap says. A terminal gateway carrying
     * many terminals on one connection matches answers by terminal and STAN (STANs are unique per
     * terminal only) and could not route that answer. These are the library's bytes (its
     * always-present, empty secondary bitmap included), with the ascii4 header.
     */
    @Test
    void aFormatErrorInAFieldsContentIsAnsweredWithTheTerminalIdAsItCame() throws Exception {
        start("iso87ascii", approveAll);
        byte[] fromTheLibrary = ("0200F23C048000C09001000000000000000016622202465020361400000000000000100A1127123328001200"
                + "1233281127310302100DEMO0004DEMOMERCHANT001156FD1D21424E85FDE6E9012A84F8726765")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (TestTerminalClient client = new TestTerminalClient(listener.port(), Dialects.iso87ascii(), NO_PREFIX,
                io.isoswitch.codec.framing.LengthHeader.ASCII4)) {
            IsoMessage answer = IsoMessage.decode(Dialects.iso87ascii(), client.exchangeRaw(fromTheLibrary));
            assertThat(answer.mti()).isEqualTo("0210");
            assertThat(answer.getString(39)).isEqualTo("30");
            assertThat(answer.getString(11)).isEqualTo("001200");
            assertThat(answer.getString(41)).isEqualTo("DEMO0004");
            assertThat(answer.has(4)).as("the bad field is not echoed").isFalse();
            // a frame whose layout does not decode (cut short) echoes nothing it cannot place
            byte[] cut = java.util.Arrays.copyOf(fromTheLibrary, fromTheLibrary.length - 40);
            IsoMessage cutAnswer = IsoMessage.decode(Dialects.iso87ascii(), client.exchangeRaw(cut));
            assertThat(cutAnswer.getString(39)).isEqualTo("30");
            assertThat(cutAnswer.has(41)).isFalse();
        }
        assertThat(processed).hasValue(0);
    }

    @Test
    void aFailedDecisionIsAnsweredWithSystemError() throws Exception {
        start("iso87binary", exchange -> CompletableFuture.failedFuture(new IllegalStateException("journal down")));
        try (TestTerminalClient client = new TestTerminalClient(listener.port(), Dialects.iso87binary(), NO_PREFIX)) {
            assertThat(client.exchange(purchase("000001")).getString(39)).isEqualTo("96");
        }
    }

    @Test
    void unionPayAnswersSwapTheTpduAddressesAndKeepTheHeader() throws Exception {
        start("cup-pos", approveAll);
        IsoMessage request = purchase("000042");
        try (TestTerminalClient client = new TestTerminalClient(listener.port(), Dialects.cupPos(), CUP_PREFIX)) {
            client.sendRaw(request.encode(Dialects.cupPos()));
            byte[] frame = client.readFrame();
            assertThat(java.util.Arrays.copyOfRange(frame, 0, 5)).containsExactly(0x60, 0x00, 0x00, 0x00, 0x03);
            IsoMessage answer = cupBody(frame);
            assertThat(answer.getString(39)).isEqualTo("00");
            assertThat(answer.getString(11)).isEqualTo("000042");
        }
    }

    @Test
    void unionPayAnswersCarryTheHostsLocalTimeAndDateInItsBusinessZoneUnlessTheRequestHasItsOwn() throws Exception {
        // 2026-11-26T17:05:09Z is 01:05:09 on 11-27 in Shanghai
        java.time.Clock host = java.time.Clock.fixed(java.time.Instant.parse("2026-11-26T17:05:09Z"), java.time.ZoneId.of("Asia/Shanghai"));
        ListenerConfig config = new ListenerConfig("cup-pos", "127.0.0.1", 0, "cup-pos", null, 10, 60_000, 4, 0);
        listener = TerminalListener.start(config, loops, approveAll, metrics, host);
        IsoMessage request = purchase("000042");
        try (TestTerminalClient client = new TestTerminalClient(listener.port(), Dialects.cupPos(), CUP_PREFIX)) {
            client.sendRaw(request.encode(Dialects.cupPos()));
            byte[] frame = client.readFrame();
            IsoMessage answer = cupBody(frame);
            assertThat(answer.getString(12)).isEqualTo("010509");
            assertThat(answer.getString(13)).isEqualTo("1127");
            client.sendRaw(request.set(11, "000043").set(12, "235959").set(13, "1126").encode(Dialects.cupPos()));
            frame = client.readFrame();
            answer = cupBody(frame);
            assertThat(answer.getString(12)).as("the request's own, echoed").isEqualTo("235959");
            assertThat(answer.getString(13)).isEqualTo("1126");
        }
    }

    @Test
    void isoAnswersOnlyEchoTheRequestsLocalTimeAndDate() throws Exception {
        start("iso87binary", approveAll);
        try (TestTerminalClient client = new TestTerminalClient(listener.port(), Dialects.iso87binary(), NO_PREFIX)) {
            IsoMessage answer = client.exchange(purchase("000124"));
            assertThat(answer.has(12)).isFalse();
            assertThat(answer.has(13)).isFalse();
        }
    }

    @Test
    void aConnectionBeyondTheListenersCapIsClosed() throws Exception {
        ListenerConfig config = new ListenerConfig("tiny", "127.0.0.1", 0, "iso87binary", null, 1, 60_000, 4, 0);
        listener = TerminalListener.start(config, loops, approveAll, metrics);
        try (TestTerminalClient first = new TestTerminalClient(listener.port(), Dialects.iso87binary(), NO_PREFIX);
             TestTerminalClient second = new TestTerminalClient(listener.port(), Dialects.iso87binary(), NO_PREFIX)) {
            assertThat(first.exchange(purchase("000001")).getString(39)).isEqualTo("00");
            assertThat(second.isClosedByPeer()).isTrue();
        }
        assertThat(registry.get(SwitchMetrics.CONNECTIONS_REFUSED).counter().count()).isEqualTo(1.0);
    }

    /**
     * Regression: only the listener had a cap, so one host could open every slot and lock the real
     * terminals out. A second address (127.0.0.2, also this machine) is served while the first is
     * at its cap; a slot its address gave back is taken again.
     */
    @Test
    void aConnectionBeyondItsAddresssCapIsClosedWhileOtherAddressesAreServed() throws Exception {
        ListenerConfig config = new ListenerConfig("iso87binary", "127.0.0.1", 0, "iso87binary", null, 10, 60_000, 4, 0)
                .withMaxConnectionsPerAddress(2);
        listener = TerminalListener.start(config, loops, approveAll, metrics);
        TestTerminalClient first = from("127.0.0.1");
        try (TestTerminalClient second = from("127.0.0.1");
             TestTerminalClient third = from("127.0.0.1"); TestTerminalClient elsewhere = from("127.0.0.2")) {
            try (first) {
                assertThat(first.exchange(purchase("000001")).getString(39)).isEqualTo("00");
                assertThat(second.exchange(purchase("000002")).getString(39)).isEqualTo("00");
                assertThat(third.isClosedByPeer()).isTrue();
                assertThat(elsewhere.exchange(purchase("000003")).getString(39)).isEqualTo("00");
            }
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> listener.openConnections() == 2);
            try (TestTerminalClient again = from("127.0.0.1")) {
                assertThat(again.exchange(purchase("000004")).getString(39)).isEqualTo("00");
            }
        }
        assertThat(registry.get(SwitchMetrics.CONNECTIONS_REFUSED_PER_ADDRESS).tag("listener", "iso87binary").counter().count())
                .isEqualTo(1.0);
        assertThat(registry.get(SwitchMetrics.CONNECTIONS_REFUSED).counter().count()).isZero();
    }

    private TestTerminalClient from(String localAddress) throws java.io.IOException {
        java.net.Socket socket = new java.net.Socket(InetAddress.getByName("127.0.0.1"), listener.port(),
                InetAddress.getByName(localAddress), 0);
        return new TestTerminalClient(socket, Dialects.iso87binary(), NO_PREFIX, io.isoswitch.codec.framing.LengthHeader.BINARY2);
    }

    /**
     * Regression: a terminal that sent a length header and part of its frame held its connection
     * until the idle timeout (300 s by default). The frame timeout closes it, counted and logged,
     * while another terminal's connection on the same listener goes on being served.
     */
    @Test
    void aFrameNotCompletedWithinTheFrameTimeoutClosesOnlyItsConnection() throws Exception {
        ListenerConfig config = new ListenerConfig("iso87binary", "127.0.0.1", 0, "iso87binary", null, 10, 60_000, 4, 0)
                .withFrameTimeoutMs(300);
        listener = TerminalListener.start(config, loops, approveAll, metrics);
        try (java.net.Socket half = new java.net.Socket("127.0.0.1", listener.port());
             TestTerminalClient other = new TestTerminalClient(listener.port(), Dialects.iso87binary(), NO_PREFIX)) {
            half.setSoTimeout(10_000);
            // a header announcing 100 bytes, and 10 of them
            half.getOutputStream().write(new byte[] {0x00, 0x64, 0x02, 0x00, 0x30, 0x20, 0x05, (byte) 0x80, 0x20, (byte) 0xC0, 0x00, 0x00});
            half.getOutputStream().flush();
            // the server closes it (read returns end of stream) well before the 60 s idle timeout
            assertThat(half.getInputStream().read()).isEqualTo(-1);
            assertThat(other.exchange(purchase("000900")).getString(39)).isEqualTo("00");
        }
        assertThat(registry.get(SwitchMetrics.INCOMPLETE_FRAMES).tag("dialect", "iso87binary").counter().count()).isEqualTo(1.0);
        assertThat(processed).hasValue(1);
    }
}
