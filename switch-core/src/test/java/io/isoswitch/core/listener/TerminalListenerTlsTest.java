package io.isoswitch.core.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.codec.framing.LengthHeader;
import io.isoswitch.codec.spec.Dialects;
import io.isoswitch.core.config.ConfigException;
import io.isoswitch.core.config.ListenerConfig;
import io.isoswitch.core.config.TlsConfig;
import io.isoswitch.core.metrics.SwitchMetrics;
import io.isoswitch.core.net.EventLoops;
import io.isoswitch.core.testing.TestCertificates;
import io.isoswitch.core.testing.TestTerminalClient;
import io.isoswitch.core.tls.HandshakeWatch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Terminal listeners over TLS: beside a plain one, with client certificates required, from PKCS#12. */
class TerminalListenerTlsTest {
    private static final byte[] NO_PREFIX = {};
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SwitchMetrics metrics = new SwitchMetrics(registry);
    private final EventLoops loops = EventLoops.create(1);
    private final List<TerminalListener> listeners = new ArrayList<>();
    private final RequestProcessor approveAll = exchange ->
            CompletableFuture.supplyAsync(() -> new Decision("00", Map.of(38, "A1B2C3"), null, "purchase", "bank-a"));

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        listeners.forEach(TerminalListener::close);
        loops.close();
    }

    private TerminalListener start(String name, TlsConfig tls) {
        ListenerConfig config = new ListenerConfig(name, "127.0.0.1", 0, "iso87binary", null, 10, 60_000, 4, 0).withTls(tls);
        TerminalListener listener = TerminalListener.start(config, loops, approveAll, metrics);
        listeners.add(listener);
        return listener;
    }

    private static IsoMessage purchase(String stan) {
        return new IsoMessage("0200").set(2, "4111111111111111").set(3, "000000").set(4, "000000001000")
                .set(11, stan).set(41, "TERM0001").set(42, "MERCHANT0000001").set(49, "156");
    }

    /** A terminal's TLS socket trusting {@code ca}, presenting {@code own} when not null. */
    private static SSLSocket tlsSocket(int port, Path ca, TestCertificates.Issued own) throws IOException {
        SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).trustManager(ca.toFile());
        if (own != null) {
            builder.keyManager(own.certificateFile().toFile(), own.keyFile().toFile());
        }
        SSLContext context = ((JdkSslContext) builder.build()).context();
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private double handshakeFailures(String listener) {
        var counter = registry.find(HandshakeWatch.FAILURES).tag("side", "listener").tag("name", listener).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void plainAndTlsListenersServeSideBySide() throws Exception {
        TestCertificates switchCa = TestCertificates.authority(dir, "switch");
        TerminalListener plain = start("plain", null);
        TerminalListener tls = start("tls", switchCa.issue("switch").tls());

        try (TestTerminalClient client = new TestTerminalClient(plain.port(), Dialects.iso87binary(), NO_PREFIX)) {
            assertThat(client.exchange(purchase("000001")).getString(39)).isEqualTo("00");
        }
        SSLSocket socket = tlsSocket(tls.port(), switchCa.caFile(), null);
        try (TestTerminalClient client = new TestTerminalClient(socket, Dialects.iso87binary(), NO_PREFIX, LengthHeader.BINARY2)) {
            IsoMessage answer = client.exchange(purchase("000002"));
            assertThat(answer.getString(39)).isEqualTo("00");
            assertThat(answer.getString(11)).isEqualTo("000002");
            assertThat(socket.getSession().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
        }
        assertThat(handshakeFailures("tls")).isZero();
    }

    @Test
    void aPlainClientOnTheTlsPortGetsNoAnswerAndIsCounted() throws Exception {
        TestCertificates switchCa = TestCertificates.authority(dir, "switch");
        TerminalListener tls = start("tls", switchCa.issue("switch").tls());
        try (TestTerminalClient client = new TestTerminalClient(tls.port(), Dialects.iso87binary(), NO_PREFIX)) {
            client.sendRaw(purchase("000003").encode(Dialects.iso87binary()));
            assertThatThrownBy(client::readBody).isInstanceOf(IOException.class);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> handshakeFailures("tls") == 1.0);
    }

    @Test
    void mutualTlsServesAClientCertificateOfTheTrustedCaAndRefusesAnother() throws Exception {
        TestCertificates switchCa = TestCertificates.authority(dir, "switch");
        TestCertificates terminalCa = TestCertificates.authority(dir, "terminals");
        TestCertificates strangerCa = TestCertificates.authority(dir, "stranger");
        TestCertificates.Issued server = switchCa.issue("switch");
        TerminalListener tls = start("mtls", new TlsConfig(server.certificateFile().toString(), server.keyFile().toString(),
                null, null, "require", terminalCa.caFile().toString(), null));

        try (TestTerminalClient client = new TestTerminalClient(tlsSocket(tls.port(), switchCa.caFile(), terminalCa.issue("term1")),
                Dialects.iso87binary(), NO_PREFIX, LengthHeader.BINARY2)) {
            assertThat(client.exchange(purchase("000004")).getString(39)).isEqualTo("00");
        }
        try (TestTerminalClient client = new TestTerminalClient(tlsSocket(tls.port(), switchCa.caFile(), strangerCa.issue("term2")),
                Dialects.iso87binary(), NO_PREFIX, LengthHeader.BINARY2)) {
            assertThatThrownBy(() -> client.exchange(purchase("000005"))).isInstanceOf(IOException.class);
        }
        try (TestTerminalClient client = new TestTerminalClient(tlsSocket(tls.port(), switchCa.caFile(), null),
                Dialects.iso87binary(), NO_PREFIX, LengthHeader.BINARY2)) {
            assertThatThrownBy(() -> client.exchange(purchase("000006"))).isInstanceOf(IOException.class);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> handshakeFailures("mtls") == 2.0);
    }

    @Test
    void aPkcs12KeyStoreServesLikePemFiles() throws Exception {
        TestCertificates switchCa = TestCertificates.authority(dir, "switch");
        Path keyStore = switchCa.pkcs12(switchCa.issue("switch"), "changeit");
        TerminalListener tls = start("p12", new TlsConfig(null, null, keyStore.toString(), "changeit", null, null, null));
        try (TestTerminalClient client = new TestTerminalClient(tlsSocket(tls.port(), switchCa.caFile(), null),
                Dialects.iso87binary(), NO_PREFIX, LengthHeader.BINARY2)) {
            assertThat(client.exchange(purchase("000007")).getString(39)).isEqualTo("00");
        }
    }

    @Test
    void aWrongKeyStorePasswordStopsTheListenerFromStartingAndNamesTheKey() {
        TestCertificates switchCa = TestCertificates.authority(dir, "switch");
        Path keyStore = switchCa.pkcs12(switchCa.issue("switch"), "changeit");
        assertThatThrownBy(() -> start("p12", new TlsConfig(null, null, keyStore.toString(), "wrong", null, null, null)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("listeners[p12].tls")
                .hasMessageNotContaining("wrong");
    }
}
