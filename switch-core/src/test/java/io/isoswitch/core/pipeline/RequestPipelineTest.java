package io.isoswitch.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.codec.IsoMessageView;
import io.isoswitch.codec.spec.Dialects;
import io.isoswitch.codec.spec.MessageSpec;
import io.isoswitch.core.config.ListenerConfig;
import io.isoswitch.core.listener.TerminalListener;
import io.isoswitch.core.metrics.SwitchMetrics;
import io.isoswitch.core.net.EventLoops;
import io.isoswitch.core.session.SignOnService;
import io.isoswitch.core.session.TerminalSessions;
import io.isoswitch.core.terminal.Merchant;
import io.isoswitch.core.terminal.StaticTerminalDirectory;
import io.isoswitch.core.terminal.Terminal;
import io.isoswitch.core.testing.TestTerminalClient;
import io.isoswitch.core.txn.RequestValidator;
import io.isoswitch.core.txn.TransactionType;
import io.isoswitch.security.Hsm;
import io.isoswitch.security.KeyAlgorithm;
import io.isoswitch.security.KeyKind;
import io.isoswitch.security.LocalMasterKey;
import io.isoswitch.security.MacAlgorithm;
import io.isoswitch.security.PinBlockFormat;
import io.isoswitch.security.SecureKey;
import io.isoswitch.security.SoftwareHsm;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pipeline over real TCP, with an authorizer that approves, so the switch's own checks are what is tested. */
class RequestPipelineTest {
    private static final String PAN = "4111111111111111";
    /** Requests a terminal's keys serve (pipeline.maxKeyUses); more than any test here sends after its sign-on but one. */
    private static final long MAX_KEY_USES = 10;
    private final Hsm hsm = new SoftwareHsm(LocalMasterKey.generate(new SecureRandom()));
    private final SecureKey tmk = hsm.generateKey(KeyKind.TMK, KeyAlgorithm.TDES_2KEY);
    private final Clock clock = Clock.systemUTC();
    private final List<Authorization> authorized = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final EventLoops loops = EventLoops.create(1);
    private final TerminalListener listener;
    private final MessageSpec spec = Dialects.iso87binary();
    /** What the authorizer fails with (the journal database away), or null: it approves. */
    private volatile RuntimeException authorizerFailure;

    RequestPipelineTest() {
        Merchant shop = new Merchant("MERCHANT0000001", "Shop", "5411", "156", null);
        StaticTerminalDirectory directory = new StaticTerminalDirectory(List.of(shop), List.of(
                new Terminal("TERM0001", shop.id(), "iso87binary", tmk.keyBlock(), null, true),
                new Terminal("TERM0009", shop.id(), "iso87binary", tmk.keyBlock(), null, false),
                new Terminal("TERMCUP1", shop.id(), "cup-pos", tmk.keyBlock(), null, true)));
        TerminalSessions sessions = new TerminalSessions(MAX_KEY_USES, Duration.ofHours(1), clock);
        Authorizer approve = authorization -> {
            authorized.add(authorization);
            RuntimeException failure = authorizerFailure;
            if (failure != null) {
                return CompletableFuture.failedFuture(failure);
            }
            return CompletableFuture.supplyAsync(() -> new AuthorizationResult("00", Map.of(37, "000000000001", 38, "AB1234"), "bank-a"));
        };
        RequestPipeline pipeline = new RequestPipeline(directory, sessions, new SignOnService(hsm, sessions, clock), hsm,
                new RequestValidator(100_000_000), approve, new SwitchMetrics(registry), clock, ZoneOffset.UTC);
        listener = TerminalListener.start(new ListenerConfig("t", "127.0.0.1", 0, "iso87binary", null, 10, 60_000, 8, 0),
                loops, pipeline, new SwitchMetrics(registry));
    }

    @AfterEach
    void stop() {
        listener.close();
        loops.close();
    }

    private TestTerminalClient connect() throws Exception {
        return new TestTerminalClient(listener.port(), spec, new byte[0]);
    }

    /** Signs on and returns the TPK and TAK the terminal imported from field 62. */
    private SecureKey[] signOn(TestTerminalClient client, String terminalId) throws Exception {
        IsoMessage answer = client.exchange(new IsoMessage("0800").set(11, "000001").set(41, terminalId).set(70, "001"));
        assertThat(answer.getString(39)).isEqualTo("00");
        byte[] keys = HexFormat.of().parseHex(answer.getString(62));
        return new SecureKey[] {
            hsm.importKey(KeyKind.TPK, KeyAlgorithm.TDES_2KEY, Arrays.copyOfRange(keys, 0, 16), tmk, Arrays.copyOfRange(keys, 16, 20)),
            hsm.importKey(KeyKind.TAK, KeyAlgorithm.TDES_2KEY, Arrays.copyOfRange(keys, 20, 36), tmk, Arrays.copyOfRange(keys, 36, 40))};
    }

    private IsoMessage purchase(String stan, SecureKey tpk) {
        return new IsoMessage("0200").set(2, PAN).set(3, "000000").set(4, "000000012345").set(11, stan)
                .set(14, "3012").set(22, "021").set(41, "TERM0001").set(42, "MERCHANT0000001").set(49, "156")
                .set(52, hsm.encryptPin(tpk, "1234", PAN, PinBlockFormat.ISO_0));
    }

    /** Encodes with field 64 set to the X9.19 MAC over everything before it. */
    private byte[] macced(IsoMessage message, SecureKey tak) {
        message.set(64, new byte[8]);
        byte[] bytes = message.encode(spec);
        byte[] mac = hsm.generateMac(tak, MacAlgorithm.ANSI_X9_19, bytes, 0, bytes.length - 8);
        System.arraycopy(mac, 0, bytes, bytes.length - 8, 8);
        return bytes;
    }

    @Test
    void aSignedOnTerminalsMacedPinPurchaseIsAuthorizedAndTheAnswerIsMacedWithItsKey() throws Exception {
        try (TestTerminalClient client = connect()) {
            SecureKey[] keys = signOn(client, "TERM0001");
            byte[] answerBytes = client.exchangeRaw(macced(purchase("000002", keys[0]), keys[1]));
            IsoMessage answer = IsoMessage.decode(spec, answerBytes);
            assertThat(answer.mti()).isEqualTo("0210");
            assertThat(answer.getString(39)).isEqualTo("00");
            assertThat(answer.getString(38)).isEqualTo("AB1234");
            assertThat(hsm.verifyMac(keys[1], MacAlgorithm.ANSI_X9_19, answerBytes, 0, answerBytes.length - 8,
                    answer.getBytes(64))).isTrue();
        }
        assertThat(authorized).singleElement().satisfies(a -> {
            assertThat(a.pan()).isEqualTo(PAN);
            assertThat(a.amountMinor()).isEqualTo(12_345);
            assertThat(a.pinBlock()).hasSize(8);
            assertThat(a.toString()).doesNotContain(PAN);
        });
    }

    /**
     * A request the authorizer could not decide (its original or limits unreadable, the journal
     * database away) is answered 96 under its terminal's MAC and counted under its own type: it was
     * answered without a MAC and counted as an unknown request, with an ERROR as if the listener had
     * failed (an outside judge's refunds while the database was down).
     */
    @Test
    void aRequestTheAuthorizerCouldNotDecideIsAnswered96MacedAndCountedUnderItsType() throws Exception {
        authorizerFailure = new java.util.concurrent.CompletionException(new IllegalStateException("journal find by rrn failed"));
        try (TestTerminalClient client = connect()) {
            SecureKey[] keys = signOn(client, "TERM0001");
            byte[] answerBytes = client.exchangeRaw(macced(purchase("000002", keys[0]), keys[1]));
            IsoMessage answer = IsoMessage.decode(spec, answerBytes);
            assertThat(answer.getString(39)).isEqualTo("96");
            assertThat(answer.has(64)).isTrue();
            assertThat(hsm.verifyMac(keys[1], MacAlgorithm.ANSI_X9_19, answerBytes, 0, answerBytes.length - 8,
                    answer.getBytes(64))).isTrue();
        }
        assertThat(registry.find(SwitchMetrics.TRANSACTIONS).tags("type", TransactionType.PURCHASE.tag(), "response_code", "96")
                .counter()).isNotNull().satisfies(c -> assertThat(c.count()).isEqualTo(1.0));
        assertThat(registry.find(SwitchMetrics.TRANSACTIONS).tags("type", "unknown").counter()).isNull();
    }

    @Test
    void aRequestWithABadMacIsRefusedAndNeverAuthorized() throws Exception {
        try (TestTerminalClient client = connect()) {
            SecureKey[] keys = signOn(client, "TERM0001");
            byte[] bytes = macced(purchase("000003", keys[0]), keys[1]);
            bytes[bytes.length - 1] ^= 1;
            assertThat(IsoMessage.decode(spec, client.exchangeRaw(bytes)).getString(39)).isEqualTo("63");
        }
        assertThat(authorized).isEmpty();
        assertThat(registry.get(SwitchMetrics.MAC_FAILURES).counter().count()).isEqualTo(1.0);
    }

    /**
     * Regression (an outside review): requests whose MAC failed used up the keys' uses, so forged
     * requests from anyone who knows a terminal id forced it to sign on again. They use none: the
     * keys serve {@value #MAX_KEY_USES} requests that verified, and then the terminal must sign on.
     */
    @Test
    void requestsWhoseMacFailsUseNoneOfTheKeysUses() throws Exception {
        try (TestTerminalClient client = connect()) {
            SecureKey[] keys = signOn(client, "TERM0001");
            for (int forged = 0; forged < MAX_KEY_USES + 2; forged++) {
                byte[] bytes = macced(purchase(String.format("%06d", 100 + forged), keys[0]), keys[1]);
                bytes[bytes.length - 1] ^= 1;
                assertThat(IsoMessage.decode(spec, client.exchangeRaw(bytes)).getString(39)).as("forged %d", forged).isEqualTo("63");
            }
            for (int good = 0; good < MAX_KEY_USES; good++) {
                IsoMessage answer = IsoMessage.decode(spec, client.exchangeRaw(macced(purchase(String.format("%06d", 200 + good),
                        keys[0]), keys[1])));
                assertThat(answer.getString(39)).as("good purchase %d", good).isEqualTo("00");
            }
            IsoMessage past = IsoMessage.decode(spec, client.exchangeRaw(macced(purchase("000300", keys[0]), keys[1])));
            assertThat(past.getString(39)).as("past the keys' last use: sign on again").isEqualTo("58");
        }
        assertThat(authorized).hasSize((int) MAX_KEY_USES);
    }

    /**
     * Encodes with the MAC in {@code macField} computed over the bytes from the MTI up to that
     * field's content, whatever follows it.
     */
    private byte[] maccedIn(int macField, IsoMessage message, SecureKey tak) {
        message.set(macField, new byte[8]);
        byte[] bytes = message.encode(spec);
        int offset = new IsoMessageView(spec).wrap(Unpooled.wrappedBuffer(bytes)).contentOffset(macField);
        byte[] mac = hsm.generateMac(tak, MacAlgorithm.ANSI_X9_19, bytes, 0, offset);
        System.arraycopy(mac, 0, bytes, offset, 8);
        return bytes;
    }

    @Test
    void aMacInField64FollowedByFieldsItDoesNotCoverIsRefusedAndOneInField128IsAccepted() throws Exception {
        try (TestTerminalClient client = connect()) {
            SecureKey[] keys = signOn(client, "TERM0001");
            // field 102 (secondary bitmap) after a MAC in 64: 102 would travel unauthenticated
            byte[] uncovered = maccedIn(64, purchase("000011", keys[0]).set(102, "1234567890"), keys[1]);
            assertThat(IsoMessage.decode(spec, client.exchangeRaw(uncovered)).getString(39)).isEqualTo("63");
            assertThat(authorized).isEmpty();
            byte[] covered = maccedIn(128, purchase("000012", keys[0]).set(102, "1234567890"), keys[1]);
            assertThat(IsoMessage.decode(spec, client.exchangeRaw(covered)).getString(39)).isEqualTo("00");
        }
        assertThat(authorized).hasSize(1);
        assertThat(registry.get(SwitchMetrics.MAC_FAILURES).counter().count()).isEqualTo(1.0);
    }

    @Test
    void aTerminalThatHasNotSignedOnMustSignOnFirst() throws Exception {
        try (TestTerminalClient client = connect()) {
            SecureKey tpk = hsm.generateKey(KeyKind.TPK, KeyAlgorithm.TDES_2KEY);
            SecureKey tak = hsm.generateKey(KeyKind.TAK, KeyAlgorithm.TDES_2KEY);
            assertThat(IsoMessage.decode(spec, client.exchangeRaw(macced(purchase("000004", tpk), tak))).getString(39)).isEqualTo("58");
        }
        assertThat(authorized).isEmpty();
    }

    @Test
    void unknownBlockedAndOtherDialectTerminalsAreAnsweredAndNeverProcessed() throws Exception {
        try (TestTerminalClient client = connect()) {
            assertThat(client.exchange(new IsoMessage("0800").set(11, "000001").set(41, "NOSUCH01").set(70, "001"))
                    .getString(39)).isEqualTo("03");
            assertThat(client.exchange(new IsoMessage("0800").set(11, "000002").set(41, "TERM0009").set(70, "001"))
                    .getString(39)).isEqualTo("03");
            // a UnionPay terminal is not known on the iso87binary listener: it cannot sign on there
            IsoMessage elsewhere = client.exchange(new IsoMessage("0800").set(11, "000003").set(41, "TERMCUP1").set(70, "001"));
            assertThat(elsewhere.getString(39)).isEqualTo("03");
            assertThat(elsewhere.has(62)).isFalse();
        }
    }

    @Test
    void echoIsAnsweredAndAnUnknownTransactionIsInvalid() throws Exception {
        try (TestTerminalClient client = connect()) {
            assertThat(client.exchange(new IsoMessage("0800").set(11, "000005").set(41, "TERM0001").set(70, "301"))
                    .getString(39)).isEqualTo("00");
            assertThat(client.exchange(new IsoMessage("0200").set(3, "990000").set(11, "000006").set(41, "TERM0001"))
                    .getString(39)).isEqualTo("12");
        }
    }

    @Test
    void aBatchSettlementIsAnsweredFunctionNotSupportedNotAMacFailure() throws Exception {
        try (TestTerminalClient client = connect()) {
            signOn(client, "TERM0001");
            IsoMessage settlement = new IsoMessage("0500").set(3, "920000").set(11, "000010").set(41, "TERM0001")
                    .set(42, "MERCHANT0000001");
            assertThat(client.exchange(settlement).getString(39)).isEqualTo("40");
        }
        assertThat(authorized).isEmpty();
    }

    @Test
    void validationFailuresAreAnsweredWithTheirCodesBeforeTheMacIsEvenChecked() throws Exception {
        try (TestTerminalClient client = connect()) {
            SecureKey[] keys = signOn(client, "TERM0001");
            IsoMessage badCard = purchase("000007", keys[0]).set(2, "4111111111111112");
            assertThat(IsoMessage.decode(spec, client.exchangeRaw(macced(badCard, keys[1]))).getString(39)).isEqualTo("14");
            IsoMessage foreign = purchase("000008", keys[0]).set(49, "840");
            assertThat(IsoMessage.decode(spec, client.exchangeRaw(macced(foreign, keys[1]))).getString(39)).isEqualTo("13");
            IsoMessage noStan = purchase("000009", keys[0]).unset(22);
            assertThat(IsoMessage.decode(spec, client.exchangeRaw(macced(noStan, keys[1]))).getString(39)).isEqualTo("30");
        }
        assertThat(authorized).isEmpty();
    }

    @Test
    void aRequestWithoutAMandatoryFieldIsAFormatErrorNotAnInvalidTransaction() throws Exception {
        try (TestTerminalClient client = connect()) {
            SecureKey[] keys = signOn(client, "TERM0001");
            // field 3 names the transaction: without it the request is malformed (30), not unknown (12)
            assertThat(IsoMessage.decode(spec, client.exchangeRaw(macced(purchase("000020", keys[0]).unset(3), keys[1])))
                    .getString(39)).isEqualTo("30");
            IsoMessage preauthWithout3 = purchase("000021", keys[0]).unset(3);
            preauthWithout3.mti("0100");
            assertThat(IsoMessage.decode(spec, client.exchangeRaw(macced(preauthWithout3, keys[1]))).getString(39)).isEqualTo("30");
            for (int field : new int[] {4, 11, 41, 42, 49}) {
                IsoMessage without = purchase("000022", keys[0]).unset(field);
                assertThat(IsoMessage.decode(spec, client.exchangeRaw(macced(without, keys[1]))).getString(39))
                        .as("a purchase without field %d", field).isEqualTo("30");
            }
            // present but naming no transaction the switch knows: that is 12
            IsoMessage unknownCode = purchase("000023", keys[0]).set(3, "990000");
            assertThat(IsoMessage.decode(spec, client.exchangeRaw(macced(unknownCode, keys[1]))).getString(39)).isEqualTo("12");
        }
        assertThat(authorized).isEmpty();
        assertThat(registry.find(SwitchMetrics.TRANSACTIONS).tag("response_code", "30").counters().stream()
                .mapToDouble(c -> c.count()).sum()).isEqualTo(7.0);
    }

    @Test
    void anAmountThatIsNotDigitsIsAFormatError() throws Exception {
        try (TestTerminalClient client = connect()) {
            SecureKey[] keys = signOn(client, "TERM0001");
            byte[] bytes = macced(purchase("000024", keys[0]).set(4, "000000987654"), keys[1]);
            int at = indexOf(bytes, new byte[] {0x00, 0x00, 0x00, (byte) 0x98, 0x76, 0x54});
            bytes[at + 5] = 0x5A; // a BCD nibble that is no digit
            assertThat(IsoMessage.decode(spec, client.exchangeRaw(bytes)).getString(39)).isEqualTo("30");
        }
        assertThat(authorized).isEmpty();
    }

    @Test
    void aTrack2WhosePanIsNotField2sIsDeclinedAndNeverAuthorized() throws Exception {
        try (TestTerminalClient client = connect()) {
            SecureKey[] keys = signOn(client, "TERM0001");
            IsoMessage twoCards = purchase("000030", keys[0]).set(35, "4000000000000002D30121011234");
            assertThat(IsoMessage.decode(spec, client.exchangeRaw(macced(twoCards, keys[1]))).getString(39)).isEqualTo("14");
            IsoMessage malformedTrack = purchase("000031", keys[0]).set(35, "4111111111111111");
            assertThat(IsoMessage.decode(spec, client.exchangeRaw(macced(malformedTrack, keys[1]))).getString(39)).isEqualTo("30");
        }
        assertThat(authorized).isEmpty();
    }

    @Test
    void thePanComesFromTrack2WhenField2IsAbsentOrAgrees() throws Exception {
        try (TestTerminalClient client = connect()) {
            SecureKey[] keys = signOn(client, "TERM0001");
            IsoMessage trackOnly = purchase("000032", keys[0]).unset(2).unset(14).set(35, PAN + "D30121011234");
            assertThat(IsoMessage.decode(spec, client.exchangeRaw(macced(trackOnly, keys[1]))).getString(39)).isEqualTo("00");
            IsoMessage both = purchase("000033", keys[0]).set(35, PAN + "D30121011234");
            assertThat(IsoMessage.decode(spec, client.exchangeRaw(macced(both, keys[1]))).getString(39)).isEqualTo("00");
        }
        assertThat(authorized).hasSize(2).allSatisfy(a -> {
            assertThat(a.pan()).isEqualTo(PAN);
            assertThat(a.expiry()).isEqualTo("3012");
        });
    }

    /**
     * Regression: answers echoed field 35, so every answer (approved, or refused before any check)
     * sent the card's track 2, with its verification value, back over the wire.
     */
    @Test
    void anAnswerNeverCarriesTheRequestsTrack2() throws Exception {
        try (TestTerminalClient client = connect()) {
            SecureKey[] keys = signOn(client, "TERM0001");
            IsoMessage approved = IsoMessage.decode(spec, client.exchangeRaw(
                    macced(purchase("000040", keys[0]).set(35, PAN + "D30121011234"), keys[1])));
            assertThat(approved.getString(39)).isEqualTo("00");
            byte[] badMac = macced(purchase("000041", keys[0]).set(35, PAN + "D30121011234"), keys[1]);
            badMac[badMac.length - 1] ^= 1;
            IsoMessage refused = IsoMessage.decode(spec, client.exchangeRaw(badMac));
            assertThat(refused.getString(39)).isEqualTo("63");
            assertThat(approved.has(35)).isFalse();
            assertThat(refused.has(35)).isFalse();
            assertThat(approved.getString(2)).isEqualTo(PAN);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("the encoded message does not hold the bytes looked for");
    }
}
