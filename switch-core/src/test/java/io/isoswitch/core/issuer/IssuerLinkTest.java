package io.isoswitch.core.issuer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.net.EventLoops;
import io.isoswitch.security.KeyAlgorithm;
import io.isoswitch.security.KeyKind;
import io.isoswitch.security.PinBlockFormat;
import io.isoswitch.security.SecureKey;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One issuer link over real TCP on 127.0.0.1 against {@link ScriptedIssuer}. */
class IssuerLinkTest {
    private static final String ACQUIRER = "123456";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ZoneKeys keys = new ZoneKeys();
    private final ScriptedIssuer issuer = new ScriptedIssuer(keys.issuerHsm, keys.issuerZmk).start();
    private final EventLoops loops = EventLoops.create(2);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<IssuerResponse> unmatched = new CopyOnWriteArrayList<>();
    private IssuerLink link;

    @AfterEach
    void close() {
        if (link != null) {
            link.stop().orTimeout(10, TimeUnit.SECONDS).join();
        }
        issuer.close();
        loops.close();
    }

    private IssuerConfig config() {
        return IssuerConfig.of("bank-a", "127.0.0.1", issuer.port(), ACQUIRER)
                .withTimeouts(400, 30_000)
                .withBackoff(20, 200)
                .withZmk(keys.switchZmk.keyBlock());
    }

    private IssuerLink startLink(IssuerConfig config) {
        link = new IssuerLink(config, loops, keys.switchHsm, registry, Clock.systemUTC(), unmatched::add);
        link.start();
        return link;
    }

    private IssuerLink startedAndSignedOn() {
        startLink(config());
        await().atMost(WAIT).until(() -> link.signedOnConnections() == 2);
        return link;
    }

    private static IsoMessage purchase(String amount) {
        return new IsoMessage("0200").set(2, "4761739001010010").set(3, "000000").set(4, amount)
                .set(12, "101500").set(13, "1126").set(41, "TERM0001").set(49, "978");
    }

    @Test
    void signsOnEveryConnectionAndTakesItsZoneKeysBeforeAnyRequestIsSent() throws Exception {
        startedAndSignedOn();
        IssuerResponse answer = link.send(purchase("000000001000")).get(5, TimeUnit.SECONDS);

        assertThat(answer.approved()).isTrue();
        List<ScriptedIssuer.Received> received = issuer.received();
        for (int connection : Set.of(1, 2)) {
            List<ScriptedIssuer.Received> onConnection = received.stream().filter(r -> r.connection() == connection).toList();
            assertThat(onConnection.getFirst().networkCode()).as("first message on connection %d", connection).isEqualTo("001");
        }
        assertThat(indexOf(received, r -> r.mti().equals("0200"))).isGreaterThan(indexOf(received, r -> r.is("001")));
        assertThat(link.connections().stream().map(c -> c.keys().zonePinKey().kcv()))
                .as("each connection holds the ZPK its own sign-on brought")
                .containsExactlyInAnyOrder(issuer.zonePinKey(1).kcv(), issuer.zonePinKey(2).kcv());
    }

    @Test
    void aPinTranslatedToTheKeysOfTheStampIsReadByTheIssuerOnEitherConnection() throws Exception {
        startedAndSignedOn();
        String pan = "4761739001010010";
        SecureKey tpk = keys.switchHsm.generateKey(KeyKind.TPK, KeyAlgorithm.TDES_2KEY);
        for (int i = 0; i < 4; i++) {
            assertThat(link.send("0200", pinPurchase(tpk, pan, ScriptedIssuer.PIN_OF_EVERY_CARD)).get(5, TimeUnit.SECONDS)
                    .responseCode()).isEqualTo("00");
        }
        assertThat(link.send("0200", pinPurchase(tpk, pan, "9999")).get(5, TimeUnit.SECONDS).responseCode()).isEqualTo("55");
        assertThat(issuer.financial().stream().map(ScriptedIssuer.Received::connection).distinct()).hasSize(2);
    }

    private RequestWriter pinPurchase(SecureKey tpk, String pan, String pin) {
        byte[] fromTerminal = keys.switchHsm.encryptPin(tpk, pin, pan, PinBlockFormat.ISO_0);
        return (writer, stamp) -> {
            byte[] toIssuer = keys.switchHsm.translatePin(tpk, fromTerminal, PinBlockFormat.ISO_0, pan,
                    stamp.keys().zonePinKey(), PinBlockFormat.ISO_0);
            writer.field(2, pan).field(3, "000000").field(4, 1500L).field(11, stamp.stan())
                    .field(32, stamp.acquiringInstitutionId()).field(41, "TERM0001").bytes(52, toIssuer);
        };
    }

    private static int indexOf(List<ScriptedIssuer.Received> received, java.util.function.Predicate<ScriptedIssuer.Received> test) {
        for (int i = 0; i < received.size(); i++) {
            if (test.test(received.get(i))) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void stampsStanAndInstitutionAndMatchesTheAnswerByThem() throws Exception {
        startedAndSignedOn();
        IsoMessage request = purchase("000000002500").set(11, "999999").set(32, "1");
        IssuerResponse answer = link.send(request).get(5, TimeUnit.SECONDS);

        ScriptedIssuer.Received sent = issuer.financial().getFirst();
        assertThat(sent.institution()).isEqualTo(ACQUIRER);
        assertThat(sent.stan()).isEqualTo(answer.stan()).isNotEqualTo(999_999);
        assertThat(answer.mti()).isEqualTo("0210");
        assertThat(answer.toMessage().getString(4)).isEqualTo("000000002500");
        assertThat(request.getString(11)).as("the caller's message is left alone").isEqualTo("999999");
    }

    @Test
    void financialRequestsCarryAMacUnderTheIssuersZakAndAnAnswerWhoseMacFailsIsDroppedSoItsRequestTimesOut() throws Exception {
        startedAndSignedOn();
        assertThat(link.send(purchase("000000001000")).get(5, TimeUnit.SECONDS).approved()).isTrue();
        assertThat(issuer.financial().getFirst().macVerified()).isTrue();
        assertThat(issuer.received().stream().filter(r -> r.networkCode() != null).map(ScriptedIssuer.Received::macVerified))
                .as("network management goes unMACed").containsOnlyNulls();

        issuer.mode(ScriptedIssuer.Mode.BAD_MAC);
        CompletableFuture<IssuerResponse> answer = link.send(purchase("000000002000"));

        assertThat(answer).failsWithin(WAIT).withThrowableThat().havingRootCause()
                .isInstanceOfSatisfying(IssuerTimeoutException.class, e -> assertThat(e.reversalRequired()).isTrue());
        assertThat(issuer.financial().getLast().macVerified()).isTrue();
        assertThat(registry.get(IssuerLinkMetrics.MAC_FAILURES).tag("issuer", "bank-a").counter().count()).isEqualTo(1.0);
        assertThat(unmatched).as("a forged or damaged answer is not even a late one").isEmpty();
    }

    @Test
    void sendsEchoTestsWhileTheConnectionIsIdle() {
        startLink(config().withTimeouts(400, 100));
        await().atMost(WAIT).until(() -> link.signedOnConnections() == 2);
        await().atMost(WAIT).until(() -> issuer.count("301") >= 4);
        assertThat(link.isUp()).isTrue();
    }

    @Test
    void closesAndReconnectsAConnectionWhoseEchoIsNotAnswered() {
        startLink(config().withTimeouts(200, 100));
        await().atMost(WAIT).until(() -> link.signedOnConnections() == 2);
        issuer.answerEchoes(false);
        await().atMost(WAIT).until(() -> issuer.connectionsAccepted() >= 4);
        issuer.answerEchoes(true);
        await().atMost(WAIT).until(() -> link.signedOnConnections() == 2);
        // echoes are network management: an alert on financial requests lost must not fire for them
        assertThat(registry.get(IssuerLinkMetrics.TIMEOUTS).tags("issuer", "bank-a", "request", "network").counter().count())
                .isGreaterThanOrEqualTo(1.0);
        assertThat(registry.get(IssuerLinkMetrics.TIMEOUTS).tags("issuer", "bank-a", "request", "financial").counter().count())
                .isZero();
    }

    @Test
    void anAnswerForAnotherInstitutionIsNotDeliveredAndTheRequestTimesOut() {
        startedAndSignedOn();
        issuer.mode(ScriptedIssuer.Mode.WRONG_INSTITUTION);
        CompletableFuture<IssuerResponse> answer = link.send(purchase("000000001000"));

        assertThat(answer).failsWithin(WAIT).withThrowableThat().havingRootCause().isInstanceOf(IssuerTimeoutException.class);
        await().atMost(WAIT).until(() -> unmatched.size() == 1);
        assertThat(unmatched.getFirst().toMessage().getString(32)).isEqualTo("99999");
    }

    @Test
    void aTimedOutRequestFailsForReversalAndItsLateAnswerGoesToTheCallback() {
        startedAndSignedOn();
        issuer.mode(ScriptedIssuer.Mode.HOLD);
        CompletableFuture<IssuerResponse> answer = link.send(purchase("000000001000"));

        assertThat(answer).failsWithin(WAIT).withThrowableThat().havingRootCause()
                .isInstanceOfSatisfying(IssuerTimeoutException.class, e -> assertThat(e.reversalRequired()).isTrue());
        int stan = issuer.financial().getFirst().stan();
        issuer.releaseHeld();
        await().atMost(WAIT).until(() -> unmatched.size() == 1);
        assertThat(unmatched.getFirst().stan()).isEqualTo(stan);
        assertThat(registry.get(IssuerLinkMetrics.TIMEOUTS).tags("issuer", "bank-a", "request", "financial").counter().count())
                .isEqualTo(1.0);
        assertThat(registry.get(IssuerLinkMetrics.LATE_ANSWERS).tag("issuer", "bank-a").counter().count()).isEqualTo(1.0);
    }

    @Test
    void aRepeatedAnswerCompletesTheRequestOnceAndTheRepeatGoesToTheCallback() throws Exception {
        startedAndSignedOn();
        issuer.mode(ScriptedIssuer.Mode.DUPLICATE);
        IssuerResponse answer = link.send(purchase("000000001000")).get(5, TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> unmatched.size() == 1);
        assertThat(unmatched.getFirst().stan()).isEqualTo(answer.stan());
    }

    @Test
    void aDroppedConnectionFailsItsRequestsInFlightAndIsReconnected() throws Exception {
        startedAndSignedOn();
        issuer.mode(ScriptedIssuer.Mode.HOLD);
        CompletableFuture<IssuerResponse> inFlight = link.send(purchase("000000001000"));
        await().atMost(WAIT).until(() -> issuer.heldCount() == 1);

        issuer.dropConnections();

        assertThat(inFlight).failsWithin(WAIT).withThrowableThat().havingRootCause()
                .isInstanceOfSatisfying(IssuerConnectionLostException.class, e -> assertThat(e.reversalRequired()).isTrue());
        await().atMost(WAIT).until(() -> issuer.connectionsAccepted() == 4 && link.signedOnConnections() == 2);
        assertThat(issuer.count("001")).isEqualTo(4);
        assertThat(link.connections().stream().map(c -> c.keys().zonePinKey().kcv()))
                .as("each new sign-on brought new keys")
                .containsExactlyInAnyOrder(issuer.zonePinKey(3).kcv(), issuer.zonePinKey(4).kcv());
        issuer.mode(ScriptedIssuer.Mode.ANSWER);
        assertThat(link.send(purchase("000000001000")).get(5, TimeUnit.SECONDS).approved()).isTrue();
    }

    /**
     * Regression: every request in flight on a dropped connection counted as a failure of the
     * issuer, so one drop with a few requests in flight opened the breaker of an issuer that
     * answered everything else (most "never sent" 91s of the chaos run).
     */
    @Test
    void ofTheRequestsOneDroppedConnectionFailsOnlyOneCountsAgainstTheIssuer() {
        // a timeout far beyond the test's waits: every request must still be in flight when the connection drops
        startLink(config().withConnections(1).withTimeouts(60_000, 60_000));
        await().atMost(WAIT).until(() -> link.signedOnConnections() == 1);
        issuer.mode(ScriptedIssuer.Mode.HOLD);
        List<CompletableFuture<IssuerResponse>> inFlight = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            inFlight.add(link.send(purchase("00000000100" + i)));
        }
        await().atMost(WAIT).until(() -> issuer.heldCount() == 4);

        issuer.dropConnections();

        List<Boolean> counted = inFlight.stream().map(answer -> {
            assertThat(answer).failsWithin(WAIT);
            Throwable cause = answer.handle((response, failure) -> failure).join();
            while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            assertThat(cause).isInstanceOf(IssuerConnectionLostException.class);
            return ((IssuerConnectionLostException) cause).countsAgainstIssuer();
        }).toList();
        assertThat(counted).containsExactlyInAnyOrder(true, false, false, false);
    }

    @Test
    void withEveryConnectionDownSendFailsAtOnceWithoutSendingAndTheLinkComesBack() throws Exception {
        startedAndSignedOn();
        issuer.stop();
        await().atMost(WAIT).until(() -> !link.isUp());

        CompletableFuture<IssuerResponse> answer = link.send(purchase("000000001000"));

        assertThat(answer).isCompletedExceptionally();
        assertThat(answer).failsWithin(Duration.ZERO).withThrowableThat().havingRootCause()
                .isInstanceOfSatisfying(IssuerUnavailableException.class, e -> assertThat(e.reversalRequired()).isFalse());
        assertThat(link.connections()).as("keys are forgotten with their sign-on").allSatisfy(c -> assertThat(c.keys()).isNull());
        assertThat(registry.get(IssuerLinkMetrics.LINK_UP).tag("issuer", "bank-a").gauge().value()).isZero();

        issuer.start();
        await().atMost(WAIT).until(() -> link.signedOnConnections() == 2);
        assertThat(registry.get(IssuerLinkMetrics.LINK_UP).tag("issuer", "bank-a").gauge().value()).isEqualTo(1.0);
        assertThat(link.send(purchase("000000001000")).get(5, TimeUnit.SECONDS).approved()).isTrue();
    }

    @Test
    void tellsItsListenersOnceEachTimeItComesUpNotForEachConnection() {
        java.util.concurrent.atomic.AtomicInteger ups = new java.util.concurrent.atomic.AtomicInteger();
        link = new IssuerLink(config(), loops, keys.switchHsm, registry, Clock.systemUTC(), unmatched::add);
        link.onUp(ups::incrementAndGet);
        link.start();
        await().atMost(WAIT).until(() -> link.signedOnConnections() == 2);
        assertThat(ups).as("two connections signed on, the link came up once").hasValue(1);

        issuer.stop();
        await().atMost(WAIT).until(() -> !link.isUp());
        assertThat(ups).hasValue(1);
        issuer.start();
        await().atMost(WAIT).until(() -> link.signedOnConnections() == 2);

        assertThat(ups).hasValue(2);
    }

    @Test
    void aRefusedSignOnKeepsTheLinkDownAndIsRetriedWithBackoff() {
        issuer.refuseSignOn(true);
        startLink(config());
        await().atMost(WAIT).until(() -> issuer.count("001") >= 6);

        assertThat(link.isUp()).isFalse();
        assertThat(issuer.financial()).isEmpty();
        assertThat(registry.get(IssuerLinkMetrics.RECONNECTS).tag("issuer", "bank-a").counter().count()).isGreaterThanOrEqualTo(4);
        issuer.refuseSignOn(false);
        await().atMost(WAIT).until(() -> link.signedOnConnections() == 2);
    }

    @Test
    void stansAreUniqueAmongRequestsInFlightAndRequestsAlternateBetweenConnections() throws Exception {
        startLink(config().withTimeouts(5_000, 30_000));
        await().atMost(WAIT).until(() -> link.signedOnConnections() == 2);
        issuer.mode(ScriptedIssuer.Mode.HOLD);
        List<CompletableFuture<IssuerResponse>> answers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            answers.add(link.send(purchase(String.format("%012d", i + 1))));
        }
        await().atMost(WAIT).until(() -> issuer.heldCount() == 200);

        Set<Integer> stans = new HashSet<>();
        issuer.financial().forEach(r -> stans.add(r.stan()));
        assertThat(stans).hasSize(200);
        assertThat(issuer.financial().stream().map(ScriptedIssuer.Received::connection).distinct()).hasSize(2);
        issuer.releaseHeld();
        for (int i = 0; i < 200; i++) {
            IssuerResponse answer = answers.get(i).get(5, TimeUnit.SECONDS);
            assertThat(answer.toMessage().getString(4)).as("answer %d is its own request's", i).isEqualTo(String.format("%012d", i + 1));
        }
        assertThat(unmatched).isEmpty();
        assertThat(link.inFlight()).isZero();
    }

    @Test
    void aWriterThatLeavesOutTheStanIsRefusedAndNothingIsSent() {
        startedAndSignedOn();
        CompletableFuture<IssuerResponse> answer = link.send("0200", (writer, stamp) ->
                writer.field(3, "000000").field(32, stamp.acquiringInstitutionId()));

        // written on the connection's event loop, so refused there, not in the caller's thread
        assertThat(answer).failsWithin(Duration.ofSeconds(5)).withThrowableThat().havingRootCause()
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(issuer.financial()).isEmpty();
    }

    @Test
    void signsOffEveryConnectionOnAnOrderlyStop() {
        startedAndSignedOn();
        link.stop().orTimeout(10, TimeUnit.SECONDS).join();

        assertThat(issuer.count("002")).isEqualTo(2);
        assertThat(link.connections()).allSatisfy(c -> assertThat(c.state()).isEqualTo(IssuerConnection.State.CLOSED));
        assertThat(link.send(purchase("000000001000"))).isCompletedExceptionally();
    }

    @Test
    void answersTheIssuersOwnEchoTest() {
        startedAndSignedOn();
        issuer.sendToSwitch(new IsoMessage("0800").set(7, "1126101500").set(11, "000777").set(70, "301"));

        await().atMost(WAIT).until(() -> issuer.networkAnswersReceived().size() == 2);
        assertThat(issuer.networkAnswersReceived()).allSatisfy(answer -> {
            assertThat(answer.getString(39)).isEqualTo("00");
            assertThat(answer.getString(11)).isEqualTo("000777");
        });
    }

    /**
     * A request is given its connection on the caller's thread and written on the connection's event
     * loop. In between, the loop may run what stops that connection taking requests (a key exchange
     * beginning with nothing in flight, the issuer's sign-off, a drop): the request then goes out on
     * another signed-on connection instead of failing 91 while the link is up. Made deterministic by
     * one event loop for both connections, held while the requests are given their connections.
     */
    @Test
    void aRequestWhoseConnectionStoppedTakingRequestsBeforeItsWriteGoesOutOnTheOtherConnection() throws Exception {
        EventLoops oneLoop = EventLoops.create(1);
        try {
            link = new IssuerLink(config().withTimeouts(2_000, 30_000), oneLoop, keys.switchHsm, registry, Clock.systemUTC(),
                    unmatched::add);
            link.start();
            await().atMost(WAIT).until(() -> link.signedOnConnections() == 2);
            IssuerConnection signedOff = link.connections().get(0);
            assertThat(link.connections().get(1).loop()).as("one loop for both").isSameAs(signedOff.loop());
            java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
            signedOff.loop().execute(() -> awaitQuietly(held));
            // queued on the loop before the writes: runs after the connections were chosen, before the writes
            signedOff.loop().execute(signedOff::signedOffByIssuer);

            // round robin over two connections signed on when chosen: one of the two goes to the one signed off
            List<CompletableFuture<IssuerResponse>> answers = List.of(link.send(purchase("000000001000")),
                    link.send(purchase("000000002000")));
            held.countDown();

            for (CompletableFuture<IssuerResponse> answer : answers) {
                assertThat(answer.get(5, TimeUnit.SECONDS).toMessage().getString(39)).isEqualTo("00");
            }
            assertThat(issuer.financial().stream().map(ScriptedIssuer.Received::connection).distinct())
                    .as("both written on the connection still signed on").hasSize(1);
            assertThat(registry.get(IssuerLinkMetrics.REROUTED).tag("issuer", "bank-a").counter().count()).isEqualTo(1);
        } finally {
            link.stop().orTimeout(10, TimeUnit.SECONDS).join();
            link = null;
            oneLoop.close();
        }
    }

    private static void awaitQuietly(java.util.concurrent.CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
