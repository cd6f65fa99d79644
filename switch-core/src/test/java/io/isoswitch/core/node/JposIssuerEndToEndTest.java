package io.isoswitch.core.node;

import static io.isoswitch.core.testing.TerminalRequests.reversalOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.issuer.IssuerConfig;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.PlainJce;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.security.KeyAlgorithm;
import io.isoswitch.security.KeyKind;
import io.isoswitch.sim.card.IssuedCard;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import org.jpos.core.SimpleConfiguration;
import org.jpos.iso.ISOMsg;
import org.jpos.iso.ISOServer;
import org.jpos.iso.ServerChannel;
import org.jpos.iso.channel.ASCIIChannel;
import org.jpos.iso.channel.NACChannel;
import org.jpos.iso.packager.GenericPackager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A third-party issuer host, not our simulator: jPOS's ISOServer with its stock NACChannel and
 * iso87binary packager, which answers sign-on without any keys (no field 48), as a bank host whose
 * zone keys were set by key custodians does. The switch is configured with those keys
 * ({@code issuers[].staticKeys}); the host checks with plain JCE DES that the switch MACs its
 * requests under the ZAK (X9.19, field 64, or 128 beside field 90) and translated the terminal's
 * PIN to the ZPK, and MACs its answers the same way. It runs once per link dialect the switch
 * speaks to issuers: jPOS's NACChannel with iso87binary, and its ASCIIChannel (4 ASCII digits of
 * length) with iso87ascii, where the MAC travels as 16 hex characters.
 */
class JposIssuerEndToEndTest {
    private static final byte[] CLEAR_ZPK = HexFormat.of().parseHex("0123456789ABCDEFFEDCBA9876543210");
    private static final byte[] CLEAR_ZAK = HexFormat.of().parseHex("1C1C1C1C1C1C1C1C2A2A2A2A2A2A2A2A");

    @TempDir
    Path dir;
    private JournalBackend backend;
    private SwitchFixture fixture;
    private ISOServer issuer;
    private Thread issuerThread;
    /** What the host saw of each request, by MTI and STAN (field 11). */
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();

    record Seen(boolean macVerified, String clearPinBlockHex) {
    }

    /** The link as the jPOS host speaks it, and as the switch is configured for it. */
    enum Link {
        BINARY("iso87binary", "binary2", 8),
        ASCII("iso87ascii", "ascii4", 16);

        final String dialect;
        final String framing;
        /** How many bytes the 8-byte MAC takes in the packed message. */
        final int packedMacLength;

        Link(String dialect, String framing, int packedMacLength) {
            this.dialect = dialect;
            this.framing = framing;
            this.packedMacLength = packedMacLength;
        }

        ServerChannel channel() throws Exception {
            GenericPackager packager = new GenericPackager("jar:packager/" + dialect + ".xml");
            return this == BINARY ? new NACChannel(packager, null) : new ASCIIChannel(packager);
        }
    }

    private Link link;

    void start(Link link) throws Exception {
        this.link = link;
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        issuer = new ISOServer(port, link.channel(), 4);
        SimpleConfiguration bind = new SimpleConfiguration();
        bind.put("bind-address", "127.0.0.1");
        issuer.setConfiguration(bind);
        issuer.addISORequestListener((source, request) -> {
            try {
                source.send(answer(request));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return true;
        });
        issuerThread = Thread.ofPlatform().daemon().start(issuer);
        backend = JournalBackend.h2();
        int issuerPort = port;
        fixture = SwitchFixture.start(SwitchFixture.Options.of(backend, dir).withConfigUsingHsm((hsm, config) -> {
            // formKey wipes the components it is given: it gets copies
            String zpk = hsm.formKey(KeyKind.ZPK, KeyAlgorithm.TDES_2KEY, List.of(CLEAR_ZPK.clone())).keyBlock();
            String zak = hsm.formKey(KeyKind.ZAK, KeyAlgorithm.TDES_2KEY, List.of(CLEAR_ZAK.clone())).keyBlock();
            return config.withIssuers(List.of(IssuerConfig.of(SwitchFixture.ISSUER, "127.0.0.1", issuerPort, "12345678")
                    .withDialect(link.dialect, link.framing)
                    .withStaticKeys(new IssuerConfig.StaticZoneKeys(zpk, zak))));
        }));
    }

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
        if (backend != null) {
            backend.close();
        }
        if (issuer != null) {
            issuer.shutdown();
            issuerThread.interrupt();
        }
    }

    /** The host's side: sign-on and echo answered 00 with no keys; financial requests checked and approved. */
    private ISOMsg answer(ISOMsg request) throws Exception {
        ISOMsg response = (ISOMsg) request.clone();
        response.setResponseMTI();
        response.set(39, "00");
        if (request.getMTI().startsWith("08")) {
            return response;
        }
        int macField = request.hasField(128) ? 128 : 64;
        byte[] packed = request.pack();
        boolean macVerified = request.hasField(macField)
                && Arrays.equals(request.getBytes(macField), PlainJce.x919(CLEAR_ZAK, Arrays.copyOf(packed, packed.length - link.packedMacLength)));
        String clearPin = request.hasField(52)
                ? HexFormat.of().withUpperCase().formatHex(PlainJce.ecb(CLEAR_ZPK, Cipher.DECRYPT_MODE, request.getBytes(52)))
                : null;
        seen.put(request.getMTI() + "/" + request.getString(11), new Seen(macVerified, clearPin));
        for (int field : new int[] {14, 22, 35, 52, 64, 128}) {
            response.unset(field);
        }
        response.set(38, "A1B2C3");
        int answerMacField = response.getMaxField() > 64 ? 128 : 64;
        response.set(answerMacField, new byte[8]);
        byte[] answer = response.pack();
        response.set(answerMacField, PlainJce.x919(CLEAR_ZAK, Arrays.copyOf(answer, answer.length - link.packedMacLength)));
        return response;
    }

    @ParameterizedTest
    @EnumSource(Link.class)
    void aPurchaseAndItsReversalGoToAHostWithStaticKeysMacedAndWithThePinUnderItsZpk(Link link) throws Exception {
        start(link);
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
        IssuedCard card = fixture.issuer().card(0);
        IsoMessage purchase = terminal.pinPurchase(card, "000101", 4_321);

        IsoMessage answer = terminal.send(purchase);

        assertThat(answer.getString(39)).isEqualTo("00");
        assertThat(answer.getString(38)).isEqualTo("A1B2C3");
        Seen atTheHost = seen.values().stream().filter(s -> s.clearPinBlockHex() != null).findFirst().orElseThrow();
        assertThat(atTheHost.macVerified()).as("the request's MAC under the static ZAK").isTrue();
        assertThat(atTheHost.clearPinBlockHex()).as("the PIN block under the static ZPK")
                .isEqualTo(HexFormat.of().withUpperCase().formatHex(PlainJce.iso0PinBlock(card.pin(), card.account().pan())));
        assertThat(fixture.journal().find(terminal.terminalId(), "000101").orElseThrow().state()).isEqualTo("APPROVED");

        assertThat(terminal.send(reversalOf(purchase, "000102")).getString(39)).isEqualTo("00");
        await().atMost(30, TimeUnit.SECONDS).until(() -> seen.keySet().stream().anyMatch(k -> k.startsWith("04")));
        assertThat(seen.entrySet().stream().filter(e -> e.getKey().startsWith("04")).findFirst().orElseThrow().getValue().macVerified())
                .as("the reversal's MAC, in field 128 beside field 90").isTrue();
        fixture.journal().awaitState(terminal.terminalId(), "000101", "REVERSED", Duration.ofSeconds(30));
    }
}
