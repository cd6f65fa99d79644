package io.isoswitch.cli;

import io.isoswitch.security.LocalMasterKey;
import io.isoswitch.security.SoftwareHsm;
import io.isoswitch.sim.card.CardAccount;
import io.isoswitch.sim.card.CardCsv;
import io.isoswitch.sim.card.CardGenerator;
import io.isoswitch.sim.card.IssuedCard;
import io.isoswitch.sim.fault.FaultInjector;
import io.isoswitch.sim.fault.FaultPlan;
import io.isoswitch.sim.fault.LatencyModel;
import io.isoswitch.sim.issuer.IssuerBank;
import io.isoswitch.sim.issuer.IssuerPolicy;
import io.isoswitch.sim.issuer.LedgerSnapshot;
import io.isoswitch.sim.issuer.host.IssuerHost;
import io.isoswitch.sim.issuer.host.IssuerHostConfig;
import io.isoswitch.sim.issuer.host.IssuerKeys;
import io.isoswitch.sim.ledger.AccountBalance;
import io.isoswitch.sim.ledger.LedgerLog;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code iso-switch issuer}: runs a simulated issuer bank host (iso87binary, 2-byte length) with
 * cards from a card file or generated from a seed, until Ctrl-C or {@code --duration}. With
 * {@code --dump DIR} its ledger entries go to DIR/entries.csv as they are booked (a ledger log, which
 * a restart on the same DIR takes up again) and its accounts to DIR/accounts.csv at the stop: CSV for audits.
 */
@Command(
        name = "issuer",
        mixinStandardHelpOptions = true,
        description = "Run a simulated issuer bank host (iso87binary over TCP) with its cards, ledger and faults.")
public final class IssuerCommand implements Callable<Integer> {
    /** The simulator's default port: beside the switch's 8583. */
    static final int DEFAULT_PORT = 9583;
    private static final String ENTRIES = "entries.csv";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "" + DEFAULT_PORT, description = "TCP port, 0 for any (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--name", defaultValue = "bank-a", description = "The bank's name (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--cards", required = true, paramLabel = "FILE|N",
            description = "A card file (CSV), or a number of cards to generate.")
    String cards;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of generated cards (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--bins", split = ",", defaultValue = "476173,520000",
            description = "BINs of generated cards, comma-separated (default: ${DEFAULT-VALUE}).")
    List<String> bins;

    @Option(names = "--currency", defaultValue = "978", description = "Currency of generated cards (default: ${DEFAULT-VALUE}).")
    int currency;

    @Option(names = "--write-cards", paramLabel = "FILE", description = "Write the cards (with their PINs) to this CSV file.")
    Path writeCards;

    @Option(names = "--dump", paramLabel = "DIR", description = "Keep the ledger in DIR/entries.csv, each booking written "
            + "before its answer leaves, and write DIR/accounts.csv on stop; started again on the same DIR (after a kill -9 too), "
            + "the bank takes up its ledger where it stood.")
    Path dump;

    @Option(names = "--duration", paramLabel = "SECONDS|ISO-8601", converter = SecondsOrIsoDuration.class,
            description = "Stop after this long: seconds (30) or ISO-8601 (PT0.5S) (default: run until Ctrl-C).")
    Duration duration;

    @Option(names = "--zmk", defaultValue = IssuerKeys.TEST_ZMK,
            description = "Clear ZMK shared with the switch, 32 hex digits (default: the published test key).")
    String zmk;

    @Option(names = "--pvk", defaultValue = IssuerKeys.TEST_PVK,
            description = "Clear PVK the cards' PVVs are computed under (default: the published test key).")
    String pvk;

    @Option(names = "--latency", defaultValue = "none",
            description = "none, fixed:MS, uniform:MIN-MAX or lognormal:MEDIAN,SIGMA (milliseconds).")
    String latency;

    @Option(names = "--no-answer", defaultValue = "0", description = "Share of requests never answered (0..1).")
    double noAnswer;

    @Option(names = "--late", defaultValue = "0", description = "Share of answers sent after --late-delay (0..1).")
    double late;

    @Option(names = "--late-delay", defaultValue = "PT35S", description = "How late a late answer is (default: ${DEFAULT-VALUE}).")
    Duration lateDelay;

    @Option(names = "--drop", defaultValue = "0", description = "Share of requests answered by closing the connection.")
    double drop;

    @Option(names = "--garbage", defaultValue = "0", description = "Share of answers replaced by random bytes.")
    double garbage;

    @Option(names = "--duplicate", defaultValue = "0", description = "Share of answers sent twice.")
    double duplicate;

    @Option(names = "--damaged", defaultValue = "0",
            description = "Share of answers sent with their bytes damaged (a bit flipped, a byte changed, added or lost).")
    double damaged;

    @Option(names = "--refuse-sign-on", description = "Refuse every sign-on.")
    boolean refuseSignOn;

    @Option(names = "--partial-approvals",
            description = "Approve a purchase or pre-authorization beyond the available balance for what is available (10, field 4).")
    boolean partialApprovals;

    @Option(names = "--fault-seed", defaultValue = "42", description = "Seed of the fault decisions (default: ${DEFAULT-VALUE}).")
    long faultSeed;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        SoftwareHsm hsm = new SoftwareHsm(LocalMasterKey.generate(new SecureRandom()));
        IssuerKeys keys = IssuerKeys.fromClear(hsm, zmk, pvk);
        List<IssuedCard> issued = loadOrGenerate(keys);
        if (writeCards != null) {
            write(writeCards, w -> CardCsv.write(issued, w));
        }
        FaultPlan plan = new FaultPlan(LatencyModel.parse(latency), noAnswer, late, lateDelay, drop, garbage, duplicate,
                refuseSignOn, damaged);
        LedgerLog log = openLedgerLog();
        IssuerBank bank;
        try {
            bank = new IssuerBank(name, issued.stream().map(IssuedCard::account).toList(), IssuerPolicy.defaults(),
                    Clock.systemUTC(), log);
        } catch (IllegalArgumentException e) {
            if (log == null) {
                throw e;
            }
            throw new CommandLine.ParameterException(spec.commandLine(), "--dump " + dump + ": " + e.getMessage());
        }
        if (bank.bookingsTakenUp() > 0) {
            out.printf("issuer %s took up its ledger from %s: %d bookings%n", name, dump.resolve(ENTRIES), bank.bookingsTakenUp());
        }
        bank.setPartialApprovals(partialApprovals);
        IssuerHost issuerHost = IssuerHost.start(new IssuerHostConfig(host, port, bank, keys,
                new FaultInjector(plan, faultSeed), true));
        out.printf("issuer %s listening on %s:%d (iso87binary, 2-byte length), %d cards, ZMK kcv %s%n", name, host,
                issuerHost.port(), issued.size(), keys.zmk().kcv());
        for (IssuedCard card : issued.subList(0, Math.min(5, issued.size()))) {
            CardAccount a = card.account();
            // the ledger's, not the card file's: a bank that took up its ledger has moved money since
            AccountBalance now = bank.balance(a.accountId());
            out.printf("  %s %s %s balance %d available %d (%03d)%n", a.accountId(), a.maskedPan(), a.status().fileName(),
                    now.balanceMinor(), now.availableMinor(), a.currency());
        }
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> stop(issuerHost, log, out, stopped), "issuer-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        if (duration == null) {
            stopped.await();
            return 0;
        }
        stopped.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        Runtime.getRuntime().removeShutdownHook(hook);
        stop(issuerHost, log, out, stopped);
        return 0;
    }

    private List<IssuedCard> loadOrGenerate(IssuerKeys keys) {
        if (cards.chars().allMatch(Character::isDigit)) {
            CardGenerator.Options options = CardGenerator.Options.defaults(bins).withCurrency(currency);
            return new CardGenerator(options, keys.pvvEnroller()).generate(Integer.parseInt(cards), seed);
        }
        return CardCsv.read(Path.of(cards));
    }

    /** The ledger log under {@code --dump}, or null without it. */
    private LedgerLog openLedgerLog() {
        if (dump == null) {
            return null;
        }
        try {
            Files.createDirectories(dump);
            return LedgerLog.open(dump.resolve(ENTRIES));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the ledger log in " + dump, e);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--dump " + dump + ": " + e.getMessage());
        }
    }

    private synchronized void stop(IssuerHost issuerHost, LedgerLog log, PrintWriter out, CountDownLatch stopped) {
        if (stopped.getCount() == 0) {
            return;
        }
        issuerHost.close();
        LedgerSnapshot snapshot = issuerHost.bank().snapshot();
        if (log != null) {
            // the entries are in the log already, each written as it was booked
            try {
                log.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close the ledger log in " + dump, e);
            }
            write(dump.resolve("accounts.csv"), snapshot::writeAccounts);
        }
        out.printf("issuer %s stopped: %d ledger entries, faults %s, money conserved: %s%n", name,
                snapshot.entries().size(), issuerHost.faults().counters().snapshot(),
                issuerHost.bank().conservationViolations().isEmpty() ? "yes" : "NO");
        out.flush();
        stopped.countDown();
    }

    private static void write(Path file, java.util.function.Consumer<Writer> writer) {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            writer.accept(w);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
