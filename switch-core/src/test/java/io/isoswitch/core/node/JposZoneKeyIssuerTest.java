package io.isoswitch.core.node;

import static io.isoswitch.core.testing.TerminalRequests.reversalOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.issuer.IssuerConfig;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.security.KeyAlgorithm;
import io.isoswitch.security.KeyKind;
import io.isoswitch.sim.card.IssuedCard;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jpos.iso.ISOMsg;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The switch against an issuer host it did not write: {@link JposZoneKeyIssuer}, a jPOS ISOServer
 * written from docs/issuer-links.md that hands out fresh zone keys under the ZMK at every sign-on,
 * checks every request's MAC and PIN with plain JCE and MACs every answer. Each message the host
 * reads is checked against ISO 8583:1987 and the docs (mandatory fields and their formats, field 90
 * of reversals and advices), and the switch must take the answers a real host sends.
 */
class JposZoneKeyIssuerTest {
    /** Field 33 of every request; field 90 names the original's (its last 11 digits). */
    private static final String FORWARDER = "87654321";
    private static final String INSTITUTIONS_IN_FIELD_90 = "00012345678" + "00087654321";
    private static final byte[] CLEAR_ZMK = HexFormat.of().parseHex("4C4C4C4C4C4C4C4C0D0D0D0D0D0D0D0D");

    @TempDir
    Path dir;
    private JournalBackend backend;
    private SwitchFixture fixture;
    private JposZoneKeyIssuer issuer;
    private TerminalSide terminal;
    private IssuedCard card;
    private int stans;

    @BeforeEach
    void start() throws Exception {
        issuer = new JposZoneKeyIssuer(CLEAR_ZMK);
        backend = JournalBackend.h2();
        fixture = SwitchFixture.start(SwitchFixture.Options.of(backend, dir).withIssuerTimeoutMs(2_000)
                .withConfigUsingHsm((hsm, config) -> {
                    // formKey wipes the components it is given: it gets a copy
                    String zmk = hsm.formKey(KeyKind.ZMK, KeyAlgorithm.TDES_2KEY, List.of(CLEAR_ZMK.clone())).keyBlock();
                    IssuerConfig ours = config.issuers().getFirst();
                    return config.withIssuers(List.of(IssuerConfig.of(SwitchFixture.ISSUER, "127.0.0.1", issuer.port(), "12345678")
                            .withConnections(1).withZmk(zmk).withTimeouts(ours.requestTimeoutMs(), IssuerConfig.DEFAULT_ECHO_INTERVAL_MS)
                            .withBackoff(50, 200).withForwardingInstitution(FORWARDER)));
                }));
        card = fixture.issuer().card(0);
        issuer.issue(card.account().pan(), card.pin());
        terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
    }

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
        if (backend != null) {
            backend.close();
        }
        issuer.close();
        issuer.failures.forEach(Throwable::printStackTrace);
        assertThat(issuer.failures).as("failures at the host").isEmpty();
        // every request the switch started has a STAN of its own that day (a repeat, 0221 or 0401, may reuse one)
        List<String> stansOfFirstAttempts = issuer.requests().stream().filter(r -> r.mti().charAt(3) == '0')
                .map(r -> r.field(11)).toList();
        assertThat(stansOfFirstAttempts).as("STANs of the requests the host saw").doesNotHaveDuplicates();
    }

    private String stan() {
        return String.format("%06d", ++stans);
    }

    private List<JposZoneKeyIssuer.Seen> seen(String mti) {
        return issuer.requests().stream().filter(s -> s.mti().equals(mti)).toList();
    }

    private double count(String meter) {
        var counter = fixture.node().registry().find(meter).tag("issuer", SwitchFixture.ISSUER).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void signsOnTakesTheHostsZoneKeysAndAPinPurchaseIsApprovedWithThePinCheckedAtTheHost() throws Exception {
        JposZoneKeyIssuer.Seen signOn = seen("0800").getFirst();
        assertThat(signOn.field(70)).isEqualTo("001");
        assertThat(signOn.field(7)).matches("\\d{10}");
        assertThat(signOn.field(11)).matches("\\d{6}");
        assertThat(signOn.field(32)).isEqualTo("12345678");
        assertThat(signOn.field(33)).isEqualTo(FORWARDER);

        IsoMessage answer = terminal.send(terminal.pinPurchase(card, stan(), 1_234));

        assertThat(answer.getString(39)).isEqualTo("00");
        JposZoneKeyIssuer.Seen purchase = seen("0200").getFirst();
        assertThat(purchase.macVerified()).as("the request's MAC under the ZAK the host gave at sign-on").isTrue();
        assertThat(purchase.pin()).as("the PIN under the ZPK the host gave at sign-on").isEqualTo(card.pin());
        assertFinancialFields(purchase.message());
        assertThat(purchase.field(52)).isNotNull();
        assertThat(purchase.field(4)).isEqualTo("000000001234");
        assertThat(answer.getString(38)).isEqualTo("J" + purchase.field(11).substring(1));
        assertThat(count("switch.issuer.mac.failures")).as("answers whose MAC the switch refused").isZero();
        assertThat(fixture.journal().find(terminal.terminalId(), "000001").orElseThrow().state()).isEqualTo("APPROVED");
    }

    /** Fields every 0100/0200 to the issuer carries, in ISO 8583:1987 formats. */
    private static void assertFinancialFields(ISOMsg m) {
        assertThat(m.getString(2)).matches("\\d{12,19}");
        assertThat(m.getString(3)).matches("\\d{6}");
        assertThat(m.getString(4)).matches("\\d{12}");
        assertThat(m.getString(7)).matches("(0[1-9]|1[0-2])(0[1-9]|[12]\\d|3[01])([01]\\d|2[0-3])[0-5]\\d[0-5]\\d");
        assertThat(m.getString(11)).matches("\\d{6}").isNotEqualTo("000000");
        assertThat(m.getString(12)).matches("\\d{6}");
        assertThat(m.getString(13)).matches("\\d{4}");
        assertThat(m.getString(22)).matches("\\d{3}");
        assertThat(m.getString(32)).isEqualTo("12345678");
        assertThat(m.getString(33)).isEqualTo(FORWARDER);
        assertThat(m.getString(37)).hasSize(12);
        assertThat(m.getString(41)).hasSize(8);
        assertThat(m.getString(42)).hasSize(15);
        assertThat(m.getString(49)).matches("\\d{3}");
    }

    @Test
    void aWrongPinIsDeclinedByTheHost() throws Exception {
        IsoMessage purchase = terminal.requests().purchase(SwitchFixture.read(card),
                terminal.pinBlock(card.pin().equals("1111") ? "2222" : "1111", card.account().pan()), stan(), 100);
        assertThat(terminal.send(purchase).getString(39)).isEqualTo("55");
    }

    @Test
    void aReversalNamesItsOriginalInField90AndIsMacedIn128() throws Exception {
        IsoMessage purchase = terminal.pinPurchase(card, stan(), 4_321);
        assertThat(terminal.send(purchase).getString(39)).isEqualTo("00");
        assertThat(terminal.send(reversalOf(purchase, stan())).getString(39)).isEqualTo("00");

        await().atMost(30, TimeUnit.SECONDS).until(() -> !seen("0400").isEmpty());
        JposZoneKeyIssuer.Seen original = seen("0200").getFirst();
        JposZoneKeyIssuer.Seen reversal = seen("0400").getFirst();
        assertThat(reversal.macVerified()).as("the reversal's MAC, in field 128").isTrue();
        assertThat(reversal.message().hasField(128)).isTrue();
        assertThat(reversal.field(90)).as("original MTI, STAN, transmission time, acquirer, forwarder")
                .isEqualTo("0200" + original.field(11) + original.field(7) + INSTITUTIONS_IN_FIELD_90);
        assertThat(reversal.field(11)).isNotEqualTo(original.field(11));
        assertThat(reversal.field(4)).isEqualTo(original.field(4));
        assertThat(reversal.field(2)).isEqualTo(original.field(2));
        assertThat(reversal.field(37)).isEqualTo(original.field(37));
        fixture.journal().awaitState(terminal.terminalId(), "000001", "REVERSED", Duration.ofSeconds(30));
    }

    @Test
    void aCompletionAdviceGoesByStoreAndForwardNamingItsPreAuthorization() throws Exception {
        String preAuthStan = stan();
        IsoMessage preAuth = terminal.send(terminal.requests().preAuthorization(SwitchFixture.read(card),
                terminal.pinBlock(card.pin(), card.account().pan()), preAuthStan, 5_000));
        assertThat(preAuth.getString(39)).isEqualTo("00");
        IsoMessage advice = terminal.send(terminal.requests().completionAdvice(SwitchFixture.read(card), stan(), 4_000,
                preAuth.getString(37), preAuth.getString(38), preAuthStan));
        assertThat(advice.getString(39)).isEqualTo("00");

        await().atMost(30, TimeUnit.SECONDS).until(() -> !seen("0220").isEmpty());
        JposZoneKeyIssuer.Seen original = seen("0100").getFirst();
        assertThat(original.pin()).isEqualTo(card.pin());
        assertFinancialFields(original.message());
        JposZoneKeyIssuer.Seen completion = seen("0220").getFirst();
        assertThat(completion.macVerified()).isTrue();
        assertThat(completion.field(90)).isEqualTo("0100" + original.field(11) + original.field(7) + INSTITUTIONS_IN_FIELD_90);
        assertThat(completion.field(4)).isEqualTo("000000004000");
        assertThat(completion.field(38)).isEqualTo(preAuth.getString(38));
        assertThat(completion.field(11)).isNotEqualTo(original.field(11));
    }

    @Test
    void theHostsOwnEchoIsAnswered0810() throws Exception {
        ISOMsg echo = new ISOMsg("0800");
        echo.set(7, "1127120000");
        echo.set(11, "900001");
        echo.set(70, "301");
        issuer.send(issuer.signedOnConnections().getLast(), echo);

        await().atMost(10, TimeUnit.SECONDS).until(() -> !issuer.answersToOurRequests().isEmpty());
        ISOMsg answer = issuer.answersToOurRequests().getFirst();
        assertThat(answer.getMTI()).isEqualTo("0810");
        assertThat(answer.getString(39)).isEqualTo("00");
        assertThat(answer.getString(11)).isEqualTo("900001");
        assertThat(answer.getString(7)).isEqualTo("1127120000");
        assertThat(answer.getString(70)).isEqualTo("301");
    }

    @Test
    void theHostsCodesReachTheTerminalThoseItDoesNotKnowAsDeclines() throws Exception {
        List<String> codes = List.of("05", "51", "91", "N7", "1A", "Y1");
        issuer.answers = (request, answer) -> {
            if ("0200".equals(request.getMTI())) {
                answer.set(39, codes.get(Integer.parseInt(request.getString(4)) - 1));
                answer.unset(38);
            }
            return true;
        };
        for (int i = 0; i < codes.size(); i++) {
            String stan = stan();
            IsoMessage answer = terminal.send(terminal.pinPurchase(card, stan, i + 1));
            assertThat(answer.getString(39)).as("code %s", codes.get(i)).isEqualTo(codes.get(i));
            assertThat(fixture.journal().find(terminal.terminalId(), stan).orElseThrow().state()).isEqualTo("DECLINED");
        }
        assertThat(count("switch.issuer.timeouts")).isZero();
    }

    @Test
    void anAnswerWithFieldsNobodyAskedForAndAnEmptySecondaryBitmapIsTaken() throws Exception {
        issuer.answers = (request, answer) -> {
            if (!"0200".equals(request.getMTI())) {
                return true;
            }
            answer.set(44, "R5");
            answer.set(48, "ISSUER PRIVATE DATA");
            answer.set(54, "1001156C000000010000");
            answer.set(63, "X");
            return true;
        };
        issuer.rawAnswers = (answer, bytes) -> {
            if (!"0210".equals(mtiOf(answer))) {
                return;
            }
            // a secondary bitmap with no bit set: bit 1 on, eight zero bytes after the primary bitmap
            byte[] packed = bytes[0];
            byte[] extended = new byte[packed.length + 8];
            System.arraycopy(packed, 0, extended, 0, 10);
            System.arraycopy(packed, 10, extended, 18, packed.length - 10);
            extended[2] |= (byte) 0x80;
            bytes[0] = extended;
        };
        IsoMessage answer = terminal.send(terminal.pinPurchase(card, stan(), 700));
        assertThat(answer.getString(39)).isEqualTo("00");
        assertThat(count("switch.issuer.undecodable")).isZero();
        assertThat(count("switch.issuer.mac.failures")).isZero();
    }

    private static String mtiOf(ISOMsg m) {
        try {
            return m.getMTI();
        } catch (org.jpos.iso.ISOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anAnswerCarryingOnlyWhatMatchesItAndField39IsTaken() throws Exception {
        issuer.answers = (request, answer) -> {
            if (!"0200".equals(request.getMTI())) {
                return true;
            }
            for (int field = 2; field <= 128; field++) {
                if (field != 11 && field != 32 && field != 39) {
                    answer.unset(field);
                }
            }
            answer.set(39, Integer.parseInt(request.getString(4)) == 1 ? "05" : "00");
            return true;
        };
        assertThat(terminal.send(terminal.pinPurchase(card, stan(), 1)).getString(39)).isEqualTo("05");
        String approved = stan();
        assertThat(terminal.send(terminal.pinPurchase(card, approved, 2)).getString(39)).isEqualTo("00");
        assertThat(fixture.journal().find(terminal.terminalId(), approved).orElseThrow().state()).isEqualTo("APPROVED");
    }

    @Test
    void anUnansweredPurchaseIsReversedAndAnUnansweredReversalRepeatedAs0401() throws Exception {
        issuer.answers = (request, answer) -> !"0200".equals(request.getMTI()) && !"0400".equals(request.getMTI());
        String stan = stan();
        assertThat(terminal.send(terminal.pinPurchase(card, stan, 900)).getString(39)).isEqualTo("91");

        await().atMost(60, TimeUnit.SECONDS).until(() -> !seen("0401").isEmpty());
        JposZoneKeyIssuer.Seen original = seen("0200").getFirst();
        JposZoneKeyIssuer.Seen reversal = seen("0400").getFirst();
        JposZoneKeyIssuer.Seen repeat = seen("0401").getFirst();
        String names = "0200" + original.field(11) + original.field(7) + INSTITUTIONS_IN_FIELD_90;
        assertThat(reversal.field(90)).isEqualTo(names);
        assertThat(repeat.field(90)).isEqualTo(names);
        assertThat(reversal.macVerified()).isTrue();
        assertThat(repeat.macVerified()).isTrue();
        fixture.journal().awaitState(terminal.terminalId(), stan, "REVERSED", Duration.ofSeconds(30));
    }

    @Test
    void anApprovalThatComesAfterTheTimeoutIsReversedAgain() throws Exception {
        java.util.concurrent.CompletableFuture<ISOMsg[]> held = new java.util.concurrent.CompletableFuture<>();
        issuer.answers = (request, answer) -> {
            if ("0200".equals(request.getMTI())) {
                held.complete(new ISOMsg[] {request, answer});
                return false;
            }
            return true;
        };
        String stan = stan();
        assertThat(terminal.send(terminal.pinPurchase(card, stan, 901)).getString(39)).isEqualTo("91");
        await().atMost(30, TimeUnit.SECONDS).until(() -> !seen("0400").isEmpty());
        issuer.answers = (request, answer) -> true;
        ISOMsg late = held.get()[1];
        issuer.sendAnswer(seen("0200").getFirst().connection(), late);

        await().atMost(30, TimeUnit.SECONDS).until(() -> count("switch.issuer.late.answers") >= 1);
        await().atMost(30, TimeUnit.SECONDS).until(() -> seen("0400").size() + seen("0401").size() >= 2);
        // the issuer sees the second reversal before it answers it; REVERSED is written on its answer
        fixture.journal().awaitState(terminal.terminalId(), stan, "REVERSED", Duration.ofSeconds(30));
    }

    @Test
    void aSignOnTheHostRefusesIsTriedAgainAndNothingGoesOutBeforeItIsAccepted() throws Exception {
        java.util.concurrent.atomic.AtomicInteger refusals = new java.util.concurrent.atomic.AtomicInteger();
        issuer.answers = (request, answer) -> {
            if ("0800".equals(request.getMTI()) && "001".equals(request.getString(70)) && refusals.getAndIncrement() < 2) {
                answer.set(39, "91");
                answer.unset(48);
            }
            return true;
        };
        issuer.signedOnConnections().getLast().disconnect();
        await().atMost(30, TimeUnit.SECONDS).until(() -> refusals.get() >= 3 && fixture.node().issuerLinks().isUp(SwitchFixture.ISSUER));
        assertThat(terminal.send(terminal.pinPurchase(card, stan(), 300)).getString(39)).isEqualTo("00");
        assertThat(seen("0200").getFirst().macVerified()).isTrue();
    }

    @Test
    void aConnectionTheHostClosesIsOpenedAgainWithNewKeys() throws Exception {
        assertThat(terminal.send(terminal.pinPurchase(card, stan(), 301)).getString(39)).isEqualTo("00");
        org.jpos.iso.BaseChannel first = issuer.signedOnConnections().getLast();
        byte[] firstZpk = issuer.keysOf(first).zpk();
        first.disconnect();
        await().atMost(30, TimeUnit.SECONDS).until(() -> issuer.signedOnConnections().stream().anyMatch(c -> c != first));
        await().atMost(30, TimeUnit.SECONDS).until(() -> fixture.node().issuerLinks().isUp(SwitchFixture.ISSUER));
        assertThat(terminal.send(terminal.pinPurchase(card, stan(), 302)).getString(39)).isEqualTo("00");
        JposZoneKeyIssuer.Seen second = seen("0200").getLast();
        assertThat(second.connection()).isNotSameAs(first);
        assertThat(issuer.keysOf(second.connection()).zpk()).isNotEqualTo(firstZpk);
        assertThat(second.pin()).isEqualTo(card.pin());
    }

    @Test
    void aConnectionTheHostHalfClosesIsOpenedAgain() throws Exception {
        org.jpos.iso.BaseChannel first = issuer.signedOnConnections().getLast();
        first.getSocket().shutdownOutput();
        await().atMost(30, TimeUnit.SECONDS).until(() -> issuer.signedOnConnections().stream().anyMatch(c -> c != first));
        await().atMost(30, TimeUnit.SECONDS).until(() -> fixture.node().issuerLinks().isUp(SwitchFixture.ISSUER));
        assertThat(terminal.send(terminal.pinPurchase(card, stan(), 303)).getString(39)).isEqualTo("00");
    }

    /**
     * The host changes the zone keys of a connection itself, with its own 0800 carrying them in field
     * 48 as in a sign-on answer (code 001, or 101 key change). Before, the switch answered the 001
     * with 00 and kept its old keys, so the host checked every later PIN and MAC under keys the
     * switch did not use: each request on that connection timed out (91) and was reversed until
     * the next key exchange, a day later by default.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"001", "101"})
    void keysTheHostChangesOnItsOwnAreTakenForThatConnection(String networkCode) throws Exception {
        org.jpos.iso.BaseChannel connection = issuer.signedOnConnections().getLast();
        JposZoneKeyIssuer.ZoneKeys fresh = new JposZoneKeyIssuer.ZoneKeys(JposZoneKeyIssuer.newKey(), JposZoneKeyIssuer.newKey());

        ISOMsg answer = keyChange(connection, issuer.keyField(fresh), networkCode);

        assertThat(answer.getString(39)).as("the switch's answer to the host's key change").isEqualTo("00");
        assertThat(answer.getString(70)).isEqualTo(networkCode);
        issuer.useKeys(connection, fresh);
        assertThat(terminal.send(terminal.pinPurchase(card, stan(), 304)).getString(39)).isEqualTo("00");
        JposZoneKeyIssuer.Seen purchase = seen("0200").getLast();
        assertThat(purchase.macVerified()).as("the purchase's MAC under the host's new ZAK").isTrue();
        assertThat(purchase.pin()).as("the PIN under the host's new ZPK").isEqualTo(card.pin());
        assertThat(count("switch.issuer.mac.failures")).isZero();
    }

    @Test
    void keysFromTheHostThatFailTheirCheckValueAreRefusedAndTheOldOnesServeOn() throws Exception {
        org.jpos.iso.BaseChannel connection = issuer.signedOnConnections().getLast();
        String field48 = issuer.keyField(new JposZoneKeyIssuer.ZoneKeys(JposZoneKeyIssuer.newKey(), JposZoneKeyIssuer.newKey()));
        // the ZPK's check value damaged
        String damaged = field48.substring(0, 32) + (field48.charAt(32) == '0' ? '1' : '0') + field48.substring(33);

        ISOMsg answer = keyChange(connection, damaged, "101");

        assertThat(answer.getString(39)).isEqualTo("63");
        assertThat(terminal.send(terminal.pinPurchase(card, stan(), 305)).getString(39)).isEqualTo("00");
        assertThat(seen("0200").getLast().pin()).isEqualTo(card.pin());
    }

    private ISOMsg keyChange(org.jpos.iso.BaseChannel connection, String field48, String networkCode) throws Exception {
        ISOMsg change = new ISOMsg("0800");
        change.set(7, "1127120000");
        change.set(11, "900002");
        change.set(48, field48);
        change.set(70, networkCode);
        issuer.send(connection, change);
        await().atMost(10, TimeUnit.SECONDS).until(() -> !issuer.answersToOurRequests().isEmpty());
        ISOMsg answer = issuer.answersToOurRequests().getFirst();
        assertThat(answer.getString(11)).isEqualTo("900002");
        return answer;
    }

    /**
     * The host signs a connection off (its own 0800 / 002) and takes nothing more on it until the
     * switch signs on again. Before, the switch answered 00 and sent the next purchase on it
     * anyway: 91, and a reversal, while the link counted as up.
     */
    @Test
    void aConnectionTheHostSignsOffCarriesNothingUntilTheSwitchSignsOnAgain() throws Exception {
        org.jpos.iso.BaseChannel connection = issuer.signedOnConnections().getLast();
        long signOnsBefore = seen("0800").stream().filter(s -> "001".equals(s.field(70))).count();

        issuer.signOff(connection, "900003");
        await().atMost(10, TimeUnit.SECONDS).until(() -> !issuer.answersToOurRequests().isEmpty());
        assertThat(issuer.answersToOurRequests().getFirst().getString(39)).isEqualTo("00");
        await().atMost(30, TimeUnit.SECONDS).until(() -> fixture.node().issuerLinks().isUp(SwitchFixture.ISSUER)
                && seen("0800").stream().filter(s -> "001".equals(s.field(70))).count() > signOnsBefore);

        assertThat(terminal.send(terminal.pinPurchase(card, stan(), 306)).getString(39)).isEqualTo("00");
        assertThat(seen("0200").getLast().pin()).isEqualTo(card.pin());
    }
}
