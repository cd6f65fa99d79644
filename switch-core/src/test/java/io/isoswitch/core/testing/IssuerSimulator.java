package io.isoswitch.core.testing;

import io.isoswitch.security.Hsm;
import io.isoswitch.security.LocalMasterKey;
import io.isoswitch.security.SoftwareHsm;
import io.isoswitch.sim.card.CardGenerator;
import io.isoswitch.sim.card.IssuedCard;
import io.isoswitch.sim.fault.FaultPlan;
import io.isoswitch.sim.issuer.IssuerBank;
import io.isoswitch.sim.issuer.IssuerPolicy;
import io.isoswitch.sim.issuer.host.IssuerHost;
import io.isoswitch.sim.issuer.host.IssuerHostConfig;
import io.isoswitch.sim.issuer.host.IssuerKeys;
import io.isoswitch.sim.ledger.EntryKind;
import io.isoswitch.sim.ledger.LedgerEntry;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.YearMonth;
import java.util.List;

/**
 * One simulated issuer for end-to-end tests: a bank with cards of BIN 476173 (CNY, 1000.00 each),
 * its ledger, and its host on a free port of 127.0.0.1, which can be stopped and started again on
 * the same port and told to misbehave ({@link FaultPlan}).
 */
public final class IssuerSimulator implements AutoCloseable {
    public static final String BIN = "476173";
    public static final String ZMK = "0123456789ABCDEFFEDCBA9876543210";
    public static final String PVK = "11223344556677888877665544332211";
    public static final long OPENING_BALANCE_MINOR = 100_000;

    private final Hsm hsm = new SoftwareHsm(LocalMasterKey.generate(new SecureRandom()));
    private final IssuerKeys keys = IssuerKeys.fromClear(hsm, ZMK, PVK);
    private final List<IssuedCard> cards;
    private final IssuerBank bank;
    private final IssuerHostConfig config;
    private IssuerHost host;
    private boolean stopped;
    private final int port;

    public IssuerSimulator(String name, int cardCount) {
        CardGenerator.Options options = new CardGenerator.Options(List.of(BIN), 16, 156, OPENING_BALANCE_MINOR,
                OPENING_BALANCE_MINOR, YearMonth.now(), "ACC");
        cards = new CardGenerator(options, keys.pvvEnroller()).generate(cardCount, 7);
        bank = new IssuerBank(name, cards.stream().map(IssuedCard::account).toList(), IssuerPolicy.defaults(), Clock.systemUTC());
        host = IssuerHost.start(IssuerHostConfig.local(bank, keys));
        port = host.port();
        config = IssuerHostConfig.local(bank, keys).withPort(port).withFaults(host.faults());
    }

    public int port() {
        return port;
    }

    public IssuerBank bank() {
        return bank;
    }

    public List<IssuedCard> cards() {
        return cards;
    }

    public IssuedCard card(int i) {
        return cards.get(i);
    }

    /** What {@code card}'s account can still spend. */
    public long available(IssuedCard card) {
        return bank.balance(card.account().accountId()).availableMinor();
    }

    /** The ledger balance of {@code card}'s account (holds not subtracted). */
    public long balance(IssuedCard card) {
        return bank.balance(card.account().accountId()).balanceMinor();
    }

    /** The ledger's entries of one kind. */
    public List<LedgerEntry> entries(EntryKind kind) {
        return bank.snapshot().entries().stream().filter(e -> e.kind() == kind).toList();
    }

    /** The running host's chip data answers (tag 91; the last request's field 55). */
    public io.isoswitch.sim.issuer.host.ChipAnswers chip() {
        return host.chip();
    }

    /** Makes the host misbehave from now on (or behave again with {@link FaultPlan#none()}). */
    public void faults(FaultPlan plan) {
        config.faults().setPlan(plan);
    }

    /** Every financial answer goes through {@code rewrite} from now on (identity: none), after the bank booked it as asked. */
    public void rewriteAnswers(java.util.function.UnaryOperator<io.isoswitch.codec.IsoMessage> rewrite) {
        config.faults().rewriteAnswers(rewrite);
    }

    /** Holds every financial answer from now on until {@link #releaseAnswers()} (the issuer still decides at once). */
    public void holdAnswers() {
        config.faults().hold();
    }

    /** Holds every financial request but reversals, before the bank sees it, until {@link #releaseRequests()}. */
    public void holdRequests() {
        config.faults().holdRequests();
    }

    /** Hands the requests held since {@link #holdRequests()} to the bank and holds no more. */
    public void releaseRequests() {
        config.faults().releaseRequests();
    }

    /** Sends the answers held since {@link #holdAnswers()} and holds no more. */
    public void releaseAnswers() {
        config.faults().release();
    }

    /**
     * Stops the host: its port refuses connections until {@link #start()}. Connections it had
     * accepted were seen to stay open without a FIN to the peer, so a peer may only find out by
     * its own timeouts and echo tests.
     */
    public void stop() {
        host.close();
        stopped = true;
    }

    /** Starts the host again on the same port, with the same bank and ledger. */
    public void start() {
        host = IssuerHost.start(config);
        stopped = false;
    }

    @Override
    public void close() {
        if (!stopped) { // a stopped host's event loops are gone: closing it again would be refused
            host.close();
        }
    }
}
