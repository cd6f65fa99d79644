package io.isoswitch.cli.demo;

import io.isoswitch.core.config.JournalConfig;
import io.isoswitch.core.config.ListenerConfig;
import io.isoswitch.core.config.OpsConfig;
import io.isoswitch.core.config.PipelineConfig;
import io.isoswitch.core.config.SecurityConfig;
import io.isoswitch.core.config.SwitchConfig;
import io.isoswitch.core.issuer.IssuerConfig;
import io.isoswitch.core.terminal.Merchant;
import io.isoswitch.core.terminal.TerminalFile;
import io.isoswitch.security.Hsm;
import io.isoswitch.security.KeyAlgorithm;
import io.isoswitch.security.KeyKind;
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
import io.isoswitch.sim.ledger.LedgerLog;
import io.isoswitch.sim.load.LoadWorld;
import io.isoswitch.sim.terminal.CardData;
import io.isoswitch.sim.terminal.TerminalDialect;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Everything the demo needs beside the switch, made up on the spot and written down: two issuer
 * banks (simulators, in process) with test cards, a merchant, terminals of each dialect with
 * their TMKs, and the switch configuration that ties them together. Test keys are formed from
 * fixed clear values so that the credentials file can show them: fine for a demo, never for
 * production.
 */
public final class DemoWorld implements AutoCloseable {
    static final String MERCHANT_ID = "DEMOMERCHANT001";
    static final int CNY = 156;
    private static final String ZMK = "0123456789ABCDEFFEDCBA9876543210";
    private static final String PVK = "11223344556677888877665544332211";
    private static final long OPENING_BALANCE_MINOR = 10_000_000;

    /** A demo bank: its simulator and the cards it issued. */
    public record Bank(String id, String bin, IssuerBank bank, IssuerHost host, List<IssuedCard> cards) {
    }

    /** A demo terminal: id, dialect, and its TMK in clear (for the terminal side only). */
    public record DemoTerminal(String id, TerminalDialect dialect, String clearTmkHex) {
    }

    /** Where the terminal ports listen unless told otherwise. */
    public static final String LOOPBACK = "127.0.0.1";

    /** Under the demo's folder: each bank's ledger log, when the demo keeps its books across runs. */
    static final String LEDGERS = "ledgers";

    private final List<Bank> banks = new ArrayList<>();
    private final List<LedgerLog> ledgerLogs = new ArrayList<>();
    private long bookingsTakenUp;
    private final List<DemoTerminal> terminals = new ArrayList<>();
    private final SwitchConfig config;
    private final String opsToken;
    private final Hsm switchHsm;

    private DemoWorld(Path dir, String bindHost, int portBase, Integer opsPort, int terminalsPerDialect, int cardsPerBank,
                      JournalConfig journal, boolean keepBooks, boolean startEmpty) {
        Path lmkFile = dir.resolve("lmk.key");
        if (!Files.exists(lmkFile)) {
            LocalMasterKey.generate(new SecureRandom()).writeNew(lmkFile);
        }
        this.switchHsm = new SoftwareHsm(LocalMasterKey.read(lmkFile));
        // the books go on from an earlier run (stopped or killed) only where both halves were kept:
        // the demo's own journal file and the banks' ledger logs beside it. A journal without them
        // (a --journal-url database, or a folder of a version that kept no ledgers) would send its
        // unfinished business to banks that never booked it, so such a run starts empty
        Path ledgers = dir.resolve(LEDGERS);
        boolean takeUp = keepBooks && !startEmpty && journal == null && Files.isDirectory(ledgers);
        if (!takeUp) {
            deleteJournal(dir);
            deleteLedgers(ledgers);
        }
        Path bankLedgers = keepBooks && journal == null ? ledgers : null;
        startBank("bank-a", "622202", cardsPerBank, 1, bankLedgers);
        startBank("bank-b", "476173", cardsPerBank, 2, bankLedgers);
        List<TerminalFile.TerminalEntry> entries = new ArrayList<>();
        int n = 1;
        for (TerminalDialect dialect : TerminalDialect.values()) {
            for (int i = 0; i < terminalsPerDialect; i++, n++) {
                String id = String.format("DEMO%04d", n);
                String clearTmk = String.format("%032X", 0x1111_2222_3333_4444L * n).substring(0, 32);
                SecureKey tmk = switchHsm.formKey(KeyKind.TMK, KeyAlgorithm.TDES_2KEY, List.of(HexFormat.of().parseHex(clearTmk)));
                entries.add(new TerminalFile.TerminalEntry(id, MERCHANT_ID, dialect.specName(), tmk.keyBlock(), null, true));
                terminals.add(new DemoTerminal(id, dialect, clearTmk));
            }
        }
        Path terminalsFile = write(dir.resolve("terminals.yaml"), TerminalFile.write(new TerminalFile.Contents(
                List.of(new Merchant(MERCHANT_ID, "Demo Merchant", "5411", Integer.toString(CNY), null)), entries)));
        StringBuilder routes = new StringBuilder("routes:\n");
        List<IssuerConfig> issuers = new ArrayList<>();
        SecureKey zmk = IssuerKeys.fromClear(switchHsm, ZMK, PVK).zmk();
        for (Bank bank : banks) {
            routes.append("  - name: ").append(bank.id()).append("\n    bins: [\"").append(bank.bin())
                    .append("\"]\n    primary: ").append(bank.id()).append('\n');
            issuers.add(new IssuerConfig(bank.id(), "127.0.0.1", bank.host().port(), 2, null, null, 0, 0, 0, 0, 0,
                    "10000000001", null, zmk.keyBlock(), null));
        }
        Path routesFile = write(dir.resolve("routes.yaml"), routes.toString());
        // what the demo's UnionPay terminals download after sign-on (terminal --download-params):
        // UnionPay's published test CA keys and the UnionPay AIDs
        Path emvFile = write(dir.resolve("emv-parameters.yaml"), io.isoswitch.core.emv.EmvParametersFile.demoText());
        // a fresh token per run, printed with the credentials, so the demo's ops commands can be tried
        byte[] token = new byte[16];
        new SecureRandom().nextBytes(token);
        this.opsToken = HexFormat.of().formatHex(token);
        this.config = new SwitchConfig("demo", "UTC", listeners(bindHost, portBase),
                new OpsConfig("127.0.0.1", opsPort != null ? opsPort : portBase == 0 ? 0 : OpsConfig.DEFAULT_PORT, opsToken, null),
                journal != null ? journal : new JournalConfig("jdbc:h2:file:" + dir.toAbsolutePath().resolve("journal")
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH", null, null, 0, 0, null)
                        .withOwedReversalsDir(dir.toString()),
                new SecurityConfig(lmkFile.toString(), null, null), PipelineConfig.defaults(), issuers,
                routesFile.toString(), terminalsFile.toString(), null).withEmvParametersFile(emvFile.toString());
    }

    /**
     * As {@link #create(Path, String, int, Integer, int, int, JournalConfig)}, keeping the books across
     * runs when {@code keepBooks} and the journal is the demo's own file: the journal an earlier run
     * left in {@code dir} (stopped or {@code kill -9}ed) is taken up, and each bank keeps its ledger
     * in a log under {@code dir/ledgers} (each booking written before its answer leaves) and takes it
     * up at the next start, so that the switch's recovery and store-and-forward finish what a killed
     * run left and one audit covers every run; {@code startEmpty} clears what earlier runs left first.
     * Without {@code keepBooks}, every run starts with an empty journal and empty ledgers.
     */
    public static DemoWorld create(Path dir, String bindHost, int portBase, Integer opsPort, int terminalsPerDialect,
            int cardsPerBank, JournalConfig journal, boolean keepBooks, boolean startEmpty) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        return new DemoWorld(dir, bindHost, portBase, opsPort, terminalsPerDialect, cardsPerBank, journal, keepBooks, startEmpty);
    }

    /** Bookings the banks took up from the ledgers of earlier runs (0 for a world that started empty). */
    public long bookingsTakenUp() {
        return bookingsTakenUp;
    }

    /** Builds the demo's world under {@code dir}; {@code portBase} 0 binds free ports (tests), else the standard ones. */
    public static DemoWorld create(Path dir, int portBase, int terminalsPerDialect, int cardsPerBank) {
        return create(dir, portBase, null, terminalsPerDialect, cardsPerBank, null);
    }

    /**
     * As {@link #create(Path, int, int, int)} with the ops port and the journal chosen ({@code null}:
     * the defaults), as the benchmarks run it: PostgreSQL or an in-memory H2 journal, ops off 8080.
     */
    public static DemoWorld create(Path dir, int portBase, Integer opsPort, int terminalsPerDialect, int cardsPerBank,
            JournalConfig journal) {
        return create(dir, LOOPBACK, portBase, opsPort, terminalsPerDialect, cardsPerBank, journal);
    }

    /**
     * As {@link #create(Path, int, Integer, int, int, JournalConfig)} with the terminal ports bound to
     * {@code bindHost}: the loopback address unless asked, since the demo's terminal keys are printed
     * for anyone to use.
     */
    public static DemoWorld create(Path dir, String bindHost, int portBase, Integer opsPort, int terminalsPerDialect,
            int cardsPerBank, JournalConfig journal) {
        return create(dir, bindHost, portBase, opsPort, terminalsPerDialect, cardsPerBank, journal, false, true);
    }

    /** What the load generator's terminals need to drive this world: terminals with their TMKs, and the cards. */
    public LoadWorld loadWorld() {
        List<LoadWorld.Card> cards = new ArrayList<>();
        for (Bank bank : banks) {
            for (IssuedCard card : bank.cards()) {
                cards.add(LoadWorld.Card.of(CardData.of(card)));
            }
        }
        return new LoadWorld(MERCHANT_ID, CNY, terminals.stream()
                .map(t -> new LoadWorld.Terminal(t.id(), t.dialect().specName(), t.clearTmkHex())).toList(), cards);
    }

    /** @param ledgers where the bank keeps its ledger log, or null for a ledger in memory only */
    private void startBank(String id, String bin, int cardCount, long seed, Path ledgers) {
        IssuerKeys keys = IssuerKeys.fromClear(new SoftwareHsm(LocalMasterKey.generate(new SecureRandom())), ZMK, PVK);
        CardGenerator.Options options = new CardGenerator.Options(List.of(bin), 16, CNY, OPENING_BALANCE_MINOR,
                OPENING_BALANCE_MINOR, YearMonth.now(), id.toUpperCase(java.util.Locale.ROOT));
        List<IssuedCard> cards = new CardGenerator(options, keys.pvvEnroller()).generate(cardCount, seed);
        LedgerLog log = ledgers == null ? null : openLedgerLog(ledgers.resolve(id + "-entries.csv"));
        IssuerBank bank;
        try {
            bank = new IssuerBank(id, cards.stream().map(IssuedCard::account).toList(), IssuerPolicy.defaults(),
                    Clock.systemUTC(), log);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the ledger of " + id + " in " + ledgers + " does not fit its cards (" + e.getMessage()
                    + "); start with --fresh", e);
        }
        bookingsTakenUp += bank.bookingsTakenUp();
        banks.add(new Bank(id, bin, bank, IssuerHost.start(IssuerHostConfig.local(bank, keys)), cards));
    }

    private static List<ListenerConfig> listeners(String host, int portBase) {
        int[] ports = portBase == 0 ? new int[] {0, 0, 0} : new int[] {portBase, portBase + 1, portBase + 2};
        // every demo and bench terminal dials from this host: no per-address cap below the listener's
        int perAddress = ListenerConfig.DEFAULT_MAX_CONNECTIONS;
        return List.of(
                new ListenerConfig("iso87binary", host, ports[0], "iso87binary", null, 0, 0, 0, 0).withMaxConnectionsPerAddress(perAddress),
                new ListenerConfig("iso87ascii", host, ports[1], "iso87ascii", null, 0, 0, 0, 0).withMaxConnectionsPerAddress(perAddress),
                new ListenerConfig("cup-pos", host, ports[2], "cup-pos", null, 0, 0, 0, 0).withMaxConnectionsPerAddress(perAddress));
    }


    private LedgerLog openLedgerLog(Path file) {
        try {
            Files.createDirectories(file.getParent());
            LedgerLog log = LedgerLog.open(file);
            ledgerLogs.add(log);
            return log;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the ledger log " + file, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage() + " (or start with --fresh)", e);
        }
    }

    private static void deleteLedgers(Path ledgers) {
        if (!Files.isDirectory(ledgers)) {
            return;
        }
        try (java.util.stream.Stream<Path> files = Files.list(ledgers)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear the demo's ledgers in " + ledgers, e);
        }
    }

    private static void deleteJournal(Path dir) {
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("journal.")).toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear the demo journal in " + dir, e);
        }
    }

    private static Path write(Path file, String text) {
        try {
            Files.writeString(file, text);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public SwitchConfig config() {
        return config;
    }

    public Hsm switchHsm() {
        return switchHsm;
    }

    public List<Bank> banks() {
        return banks;
    }

    public List<DemoTerminal> terminals() {
        return terminals;
    }

    /** The credentials a person needs to try the demo with their own terminal or client. */
    public String credentials() {
        StringBuilder text = new StringBuilder("# iso-switch demo credentials (test values only)\n\nTerminals (merchant "
                + MERCHANT_ID + ", currency " + CNY + "):\n");
        for (DemoTerminal terminal : terminals) {
            text.append(String.format("  %s  %-11s TMK %s%n", terminal.id(), terminal.dialect().specName(), terminal.clearTmkHex()));
        }
        for (Bank bank : banks) {
            text.append("\nCards of ").append(bank.id()).append(" (BIN ").append(bank.bin()).append("):\n");
            for (IssuedCard card : bank.cards()) {
                // what the card can spend now: a run that went on from earlier ones has spent some
                long available = bank.bank().balance(card.account().accountId()).availableMinor();
                text.append(String.format("  %s  exp %s  PIN %s  balance %d.%02d%n", card.account().pan(),
                        card.account().expiry(), card.pin(), available / 100, available % 100));
            }
        }
        text.append("\nOps token (this run only; the ops commands and GET /ops/saf need it): ").append(opsToken).append('\n');
        return text.toString();
    }

    /** The ops token of this run (commands on the ops port need it). */
    public String opsToken() {
        return opsToken;
    }

    @Override
    public void close() {
        for (Bank bank : banks) {
            bank.host().close();
        }
        for (LedgerLog log : ledgerLogs) {
            try {
                log.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close a demo bank's ledger log", e);
            }
        }
    }
}
