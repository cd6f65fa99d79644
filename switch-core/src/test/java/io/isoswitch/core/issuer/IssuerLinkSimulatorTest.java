package io.isoswitch.core.issuer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.core.net.EventLoops;
import io.isoswitch.security.KeyAlgorithm;
import io.isoswitch.security.KeyKind;
import io.isoswitch.security.LocalMasterKey;
import io.isoswitch.security.PinBlockFormat;
import io.isoswitch.security.SecureKey;
import io.isoswitch.security.SoftwareHsm;
import io.isoswitch.sim.card.CardAccount;
import io.isoswitch.sim.card.CardGenerator;
import io.isoswitch.sim.card.IssuedCard;
import io.isoswitch.sim.fault.FaultInjector;
import io.isoswitch.sim.fault.FaultPlan;
import io.isoswitch.sim.issuer.IssuerBank;
import io.isoswitch.sim.issuer.IssuerPolicy;
import io.isoswitch.sim.issuer.host.IssuerHost;
import io.isoswitch.sim.issuer.host.IssuerHostConfig;
import io.isoswitch.sim.issuer.host.IssuerKeys;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The link against the issuer simulator of module {@code simulators}: its sign-on keys, its PIN
 * check under each connection's ZPK, its ledger, and its injected faults.
 */
class IssuerLinkSimulatorTest {
    private static final String ZMK = "0123456789ABCDEFFEDCBA9876543210";
    private static final String PVK = "11223344556677888877665544332211";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final IssuerKeys issuerKeys = IssuerKeys.fromClear(new SoftwareHsm(LocalMasterKey.generate(new SecureRandom())), ZMK, PVK);
    private final SoftwareHsm switchHsm = new SoftwareHsm(LocalMasterKey.generate(new SecureRandom()));
    private final SecureKey switchZmk = IssuerKeys.fromClear(switchHsm, ZMK, PVK).zmk();
    private final SecureKey tpk = switchHsm.generateKey(KeyKind.TPK, KeyAlgorithm.TDES_2KEY);
    private final List<IssuedCard> cards = new CardGenerator(CardGenerator.Options.defaults(List.of("476173")),
            issuerKeys.pvvEnroller()).generate(2, 7);
    private final IssuerBank bank = new IssuerBank("bank-a", cards.stream().map(IssuedCard::account).toList(),
            IssuerPolicy.defaults(), Clock.systemUTC());
    private final FaultInjector faults = new FaultInjector(FaultPlan.none(), 11);
    private final IssuerHost host = IssuerHost.start(IssuerHostConfig.local(bank, issuerKeys).withFaults(faults));
    private final EventLoops loops = EventLoops.create(2);
    private final List<IssuerResponse> unmatched = new CopyOnWriteArrayList<>();
    private final IssuerLink link = new IssuerLink(
            IssuerConfig.of("bank-a", "127.0.0.1", host.port(), "10000001").withTimeouts(300, 30_000).withBackoff(20, 200)
                    .withZmk(switchZmk.keyBlock()),
            loops, switchHsm, new SimpleMeterRegistry(), Clock.systemUTC(), unmatched::add);

    @AfterEach
    void close() {
        link.stop().orTimeout(10, TimeUnit.SECONDS).join();
        host.close();
        loops.close();
    }

    private void signedOn() {
        link.start();
        await().atMost(WAIT).until(() -> link.signedOnConnections() == 2);
    }

    /** A PIN purchase as the pipeline writes it: the PIN block translated from the terminal's TPK to the connection's ZPK. */
    private RequestWriter purchase(IssuedCard card, long amount, String pin) {
        String pan = card.account().pan();
        byte[] fromTerminal = switchHsm.encryptPin(tpk, pin, pan, PinBlockFormat.ISO_0);
        return (writer, stamp) -> writer.field(2, pan).field(3, "000000").field(4, amount).field(7, "1126101500")
                .field(11, stamp.stan()).field(32, stamp.acquiringInstitutionId())
                .field(37, String.format(Locale.ROOT, "633010%06d", stamp.stan())).field(41, "TERM0001")
                .field(42, "MERCHANT0000001").field(49, "978")
                .bytes(52, switchHsm.translatePin(tpk, fromTerminal, PinBlockFormat.ISO_0, pan,
                        stamp.keys().zonePinKey(), PinBlockFormat.ISO_0));
    }

    private long balance(IssuedCard card) {
        CardAccount account = card.account();
        return bank.balance(account.accountId()).balanceMinor();
    }

    @Test
    void pinPurchasesOnBothConnectionsAreApprovedAndDebitedOnce() throws Exception {
        signedOn();
        IssuedCard card = cards.getFirst();
        long before = balance(card);

        for (int i = 0; i < 4; i++) {
            IssuerResponse answer = link.send("0200", purchase(card, 1_000, card.pin())).get(5, TimeUnit.SECONDS);
            assertThat(answer.responseCode()).as("purchase %d", i).isEqualTo("00");
        }

        assertThat(balance(card)).isEqualTo(before - 4_000);
        assertThat(bank.conservationViolations()).isEmpty();
    }

    @Test
    void aWrongPinIsDeclinedByTheIssuerAndMovesNothing() throws Exception {
        signedOn();
        IssuedCard card = cards.getFirst();
        long before = balance(card);
        String wrong = card.pin().equals("0000") ? "1111" : "0000";

        IssuerResponse answer = link.send("0200", purchase(card, 1_000, wrong)).get(5, TimeUnit.SECONDS);

        assertThat(answer.responseCode()).isEqualTo("55");
        assertThat(balance(card)).isEqualTo(before);
    }

    @Test
    void anUnansweredPurchaseTimesOutForReversalAndItsLateAnswerReachesOnlyTheCallback() {
        signedOn();
        // the answer leaves the issuer only once the link has timed the request out, however late its timer fires
        faults.hold();

        CompletableFuture<IssuerResponse> answer = link.send("0200", purchase(cards.get(1), 500, cards.get(1).pin()));

        assertThat(answer).failsWithin(WAIT).withThrowableThat().havingRootCause()
                .isInstanceOfSatisfying(IssuerTimeoutException.class, e -> assertThat(e.reversalRequired()).isTrue());
        faults.release();
        await().atMost(WAIT).until(() -> unmatched.size() == 1);
        assertThat(unmatched.getFirst().responseCode()).isEqualTo("00");
    }

    @Test
    void aRefusedSignOnKeepsTheLinkDownSoRequestsFailAtOnce() {
        faults.setPlan(FaultPlan.none().withRefuseSignOn(true));
        link.start();
        await().atMost(WAIT).until(() -> host.connectionsAccepted() >= 4);

        assertThat(link.isUp()).isFalse();
        assertThat(link.send("0200", purchase(cards.getFirst(), 100, cards.getFirst().pin())))
                .failsWithin(Duration.ZERO).withThrowableThat().havingRootCause().isInstanceOf(IssuerUnavailableException.class);
    }
}
