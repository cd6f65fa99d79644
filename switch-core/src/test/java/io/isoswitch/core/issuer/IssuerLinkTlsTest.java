package io.isoswitch.core.issuer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.core.config.TlsConfig;
import io.isoswitch.core.net.EventLoops;
import io.isoswitch.core.testing.TestCertificates;
import io.isoswitch.core.tls.CertificatePins;
import io.isoswitch.core.tls.HandshakeWatch;
import io.isoswitch.security.LocalMasterKey;
import io.isoswitch.security.SecureKey;
import io.isoswitch.security.SoftwareHsm;
import io.isoswitch.sim.card.CardGenerator;
import io.isoswitch.sim.card.IssuedCard;
import io.isoswitch.sim.issuer.IssuerBank;
import io.isoswitch.sim.issuer.IssuerPolicy;
import io.isoswitch.sim.issuer.host.IssuerHost;
import io.isoswitch.sim.issuer.host.IssuerHostConfig;
import io.isoswitch.sim.issuer.host.IssuerKeys;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issuer links over mutual TLS to the issuer simulator: signed on when the bank's certificate is
 * trusted and pinned and the switch's is trusted by the bank; refused on a pin mismatch or a
 * client certificate the bank does not trust, with the handshake failures counted.
 */
class IssuerLinkTlsTest {
    private static final String ZMK = "0123456789ABCDEFFEDCBA9876543210";
    private static final String PVK = "11223344556677888877665544332211";
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final IssuerKeys issuerKeys = IssuerKeys.fromClear(new SoftwareHsm(LocalMasterKey.generate(new SecureRandom())), ZMK, PVK);
    private final SoftwareHsm switchHsm = new SoftwareHsm(LocalMasterKey.generate(new SecureRandom()));
    private final SecureKey switchZmk = IssuerKeys.fromClear(switchHsm, ZMK, PVK).zmk();
    private final List<IssuedCard> cards = new CardGenerator(CardGenerator.Options.defaults(List.of("476173")),
            issuerKeys.pvvEnroller()).generate(1, 7);
    private final IssuerBank bank = new IssuerBank("bank-a", cards.stream().map(IssuedCard::account).toList(),
            IssuerPolicy.defaults(), Clock.systemUTC());
    private final EventLoops loops = EventLoops.create(1);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @TempDir
    Path dir;
    private TestCertificates switchCa;
    private TestCertificates bankCa;
    private TestCertificates.Issued bankCertificate;
    private IssuerHost host;
    private IssuerLink link;

    @BeforeEach
    void bankOverMutualTls() throws SSLException {
        switchCa = TestCertificates.authority(dir, "switch");
        bankCa = TestCertificates.authority(dir, "bank");
        bankCertificate = bankCa.issue("bank-a");
        SslContext server = SslContextBuilder.forServer(bankCertificate.certificateFile().toFile(), bankCertificate.keyFile().toFile())
                .sslProvider(SslProvider.JDK).clientAuth(ClientAuth.REQUIRE).trustManager(switchCa.caFile().toFile()).build();
        host = IssuerHost.start(IssuerHostConfig.local(bank, issuerKeys).withTls(server));
    }

    @AfterEach
    void close() {
        if (link != null) {
            link.stop().orTimeout(10, TimeUnit.SECONDS).join();
        }
        host.close();
        loops.close();
    }

    private void startLink(TlsConfig tls) {
        link = new IssuerLink(IssuerConfig.of("bank-a", "127.0.0.1", host.port(), "10000001").withConnections(1)
                .withTimeouts(2_000, 30_000).withBackoff(50, 200).withZmk(switchZmk.keyBlock()).withTls(tls),
                loops, switchHsm, registry, Clock.systemUTC(), answer -> { });
        link.start();
    }

    private double handshakeFailures() {
        var counter = registry.find(HandshakeWatch.FAILURES).tag("side", "issuer").tag("name", "bank-a").counter();
        return counter == null ? 0 : counter.count();
    }

    private TlsConfig switchSide(TestCertificates.Issued own, String trust, List<String> pins) {
        return new TlsConfig(own == null ? null : own.certificateFile().toString(), own == null ? null : own.keyFile().toString(),
                null, null, null, trust, pins);
    }

    @Test
    void signsOnOverMutualTlsWithTheBanksKeyPinnedAndItsCaTrusted() {
        startLink(switchSide(switchCa.issue("switch"), bankCa.caFile().toString(),
                List.of(CertificatePins.publicKeyPin(bankCertificate.certificate()))));
        await().atMost(WAIT).until(link::isUp);
        assertThat(link.connections().getFirst().keys()).isNotNull();
        assertThat(handshakeFailures()).isZero();
    }

    @Test
    void aPinAloneIsEnoughWithoutTheBanksCa() {
        startLink(switchSide(switchCa.issue("switch"), null, List.of(CertificatePins.certificatePin(bankCertificate.certificate()))));
        await().atMost(WAIT).until(link::isUp);
    }

    @Test
    void aPinMismatchRefusesTheLink() {
        TestCertificates.Issued impostor = bankCa.issue("impostor");
        startLink(switchSide(switchCa.issue("switch"), bankCa.caFile().toString(),
                List.of(CertificatePins.publicKeyPin(impostor.certificate()))));
        // the CA check passes (same CA), only the pin refuses: retried with backoff, never up
        await().atMost(WAIT).until(() -> handshakeFailures() >= 2);
        assertThat(link.isUp()).isFalse();
        assertThat(bank.snapshot().entries()).isEmpty();
    }

    @Test
    void aSwitchCertificateTheBankDoesNotTrustIsRefused() {
        TestCertificates strangerCa = TestCertificates.authority(dir, "stranger");
        startLink(switchSide(strangerCa.issue("switch"), bankCa.caFile().toString(), List.of()));
        // under TLS 1.3 the client's side of the handshake completes before the bank checks its
        // certificate, so the refusal arrives as an alert on the first read: still counted, and
        // the link tries again and again and never signs on
        await().atMost(WAIT).until(() -> host.connectionsAccepted() >= 3 && handshakeFailures() >= 2);
        assertThat(link.isUp()).isFalse();
        assertThat(bank.snapshot().entries()).isEmpty();
    }

    @Test
    void aBankCertificateOfAnotherCaIsRefused() {
        TestCertificates strangerCa = TestCertificates.authority(dir, "stranger");
        startLink(switchSide(switchCa.issue("switch"), strangerCa.caFile().toString(), List.of()));
        await().atMost(WAIT).until(() -> handshakeFailures() >= 2);
        assertThat(link.isUp()).isFalse();
    }
}
