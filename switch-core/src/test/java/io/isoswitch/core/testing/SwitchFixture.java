package io.isoswitch.core.testing;

import io.isoswitch.core.config.ListenerConfig;
import io.isoswitch.core.config.OpsConfig;
import io.isoswitch.core.config.PipelineConfig;
import io.isoswitch.core.config.SecurityConfig;
import io.isoswitch.core.config.SwitchConfig;
import io.isoswitch.core.limits.LimitsConfig;
import io.isoswitch.core.issuer.IssuerConfig;
import io.isoswitch.core.node.SwitchNode;
import io.isoswitch.core.terminal.Merchant;
import io.isoswitch.core.terminal.TerminalFile;
import io.isoswitch.security.Hsm;
import io.isoswitch.security.KeyAlgorithm;
import io.isoswitch.security.KeyKind;
import io.isoswitch.security.LocalMasterKey;
import io.isoswitch.security.SecureKey;
import io.isoswitch.security.SoftwareHsm;
import io.isoswitch.sim.card.IssuedCard;
import io.isoswitch.sim.issuer.host.IssuerKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import static org.awaitility.Awaitility.await;

/**
 * A whole switch over real TCP for end-to-end tests: an {@link IssuerSimulator} ("bank-a", BIN
 * 476173), a {@link SwitchNode} journaling to a {@link JournalBackend}, one listener per
 * {@link TerminalDialect}, and a terminals file with {@code terminalsPerDialect} terminals of each
 * dialect ({@code BIN00001}, {@code ASC00001}, {@code CUP00001}, ...), all with one TMK, at one
 * merchant taking CNY (156). Close it to stop everything (the backend is the caller's).
 */
public final class SwitchFixture implements AutoCloseable {
    public static final String MERCHANT = "MERCHANT0000001";
    public static final String ISSUER = "bank-a";
    /** The ops token of the fixture's node, for operations commands. */
    public static final String OPS_TOKEN = "fixture-ops-token";
    private static final DateTimeFormatter YYMM = DateTimeFormatter.ofPattern("yyMM", Locale.ROOT);

    private final Options options;
    private final Hsm switchHsm;
    /**
     * The terminals' TMK in clear: injected into real terminals at a key ceremony; known here so
     * that a third-party terminal (jPOS) can decrypt its working keys with plain JCE.
     */
    public static final String CLEAR_TMK = "89ABCDEF0123456776543210FEDCBA98";
    private final SecureKey tmk;
    private final IssuerSimulator issuer;
    private final JournalRows journal;
    private final List<TerminalSide> opened = new ArrayList<>();
    private SwitchNode node;
    private SwitchConfig nodeConfig;
    private final List<SwitchNode> others = new ArrayList<>();

    /**
     * How to build the fixture.
     *
     * @param backend             the journal database
     * @param dir                 a directory for the terminals, routes and key files
     * @param terminalsPerDialect terminals of each dialect in the terminals file
     * @param cards               cards the issuer simulator issues
     * @param issuerTimeoutMs     the issuer link's request timeout (0 for the default)
     * @param issuerConnections   connections to the issuer (0 for the default)
     * @param journalPoolSize     the journal's pool (0 for the default)
     * @param issuerEchoIntervalMs silence on an issuer connection before an echo test (0 for the default)
     * @param limits              the node's limits (null for none)
     * @param configure           a last change to the node's configuration (transactions, stand-in, ops
     *                            token), given the switch's HSM to form key blocks under its LMK
     * @param clock               the node's clock
     * @param hsm                 the switch's HSM, or null for one under an LMK of the fixture's own
     */
    public record Options(JournalBackend backend, Path dir, int terminalsPerDialect, int cards, long issuerTimeoutMs,
                          int issuerConnections, int journalPoolSize, long issuerEchoIntervalMs, LimitsConfig limits,
                          java.util.function.BiFunction<Hsm, SwitchConfig, SwitchConfig> configure, Clock clock, Hsm hsm) {
        public Options(JournalBackend backend, Path dir, int terminalsPerDialect, int cards, long issuerTimeoutMs,
                       int issuerConnections, int journalPoolSize, long issuerEchoIntervalMs, LimitsConfig limits) {
            this(backend, dir, terminalsPerDialect, cards, issuerTimeoutMs, issuerConnections, journalPoolSize, issuerEchoIntervalMs,
                    limits, (hsm, config) -> config, Clock.systemUTC(), null);
        }

        public static Options of(JournalBackend backend, Path dir) {
            return new Options(backend, dir, 2, 8, 0, 1, 0, 0, null);
        }

        public Options withConfig(java.util.function.UnaryOperator<SwitchConfig> change) {
            return withConfigUsingHsm((hsm, config) -> change.apply(config));
        }

        /** A last change to the node's configuration that needs the switch's HSM (key blocks under its LMK). */
        public Options withConfigUsingHsm(java.util.function.BiFunction<Hsm, SwitchConfig, SwitchConfig> change) {
            return new Options(backend, dir, terminalsPerDialect, cards, issuerTimeoutMs, issuerConnections, journalPoolSize,
                    issuerEchoIntervalMs, limits, change, clock, hsm);
        }

        public Options withIssuerEchoIntervalMs(long ms) {
            return new Options(backend, dir, terminalsPerDialect, cards, issuerTimeoutMs, issuerConnections, journalPoolSize, ms, limits, configure, clock, hsm);
        }

        public Options withLimits(LimitsConfig newLimits) {
            return new Options(backend, dir, terminalsPerDialect, cards, issuerTimeoutMs, issuerConnections, journalPoolSize, issuerEchoIntervalMs, newLimits, configure, clock, hsm);
        }

        public Options withTerminalsPerDialect(int count) {
            return new Options(backend, dir, count, cards, issuerTimeoutMs, issuerConnections, journalPoolSize, issuerEchoIntervalMs, limits, configure, clock, hsm);
        }

        public Options withCards(int count) {
            return new Options(backend, dir, terminalsPerDialect, count, issuerTimeoutMs, issuerConnections, journalPoolSize, issuerEchoIntervalMs, limits, configure, clock, hsm);
        }

        public Options withIssuerTimeoutMs(long ms) {
            return new Options(backend, dir, terminalsPerDialect, cards, ms, issuerConnections, journalPoolSize, issuerEchoIntervalMs, limits, configure, clock, hsm);
        }

        public Options withIssuerConnections(int count) {
            return new Options(backend, dir, terminalsPerDialect, cards, issuerTimeoutMs, count, journalPoolSize, issuerEchoIntervalMs, limits, configure, clock, hsm);
        }

        public Options withJournalPoolSize(int size) {
            return new Options(backend, dir, terminalsPerDialect, cards, issuerTimeoutMs, issuerConnections, size, issuerEchoIntervalMs, limits, configure, clock, hsm);
        }

        /**
         * Another fixture's HSM (its LMK): for a node of that fixture's deployment, which needs its
         * PAN keys too (copy its pan-keys.properties into this fixture's directory).
         */
        public Options withHsmOf(SwitchFixture other) {
            return new Options(backend, dir, terminalsPerDialect, cards, issuerTimeoutMs, issuerConnections, journalPoolSize,
                    issuerEchoIntervalMs, limits, configure, clock, other.switchHsm);
        }

        /** The node's clock, for tests that move time (it still runs on its own between moves). */
        public Options withClock(Clock nodeClock) {
            return new Options(backend, dir, terminalsPerDialect, cards, issuerTimeoutMs, issuerConnections, journalPoolSize,
                    issuerEchoIntervalMs, limits, configure, nodeClock, hsm);
        }
    }

    private SwitchFixture(Options options) {
        this.options = options;
        this.switchHsm = options.hsm() != null ? options.hsm() : new SoftwareHsm(LocalMasterKey.generate(new SecureRandom()));
        this.tmk = switchHsm.formKey(KeyKind.TMK, KeyAlgorithm.TDES_2KEY, List.of(HexFormat.of().parseHex(CLEAR_TMK)));
        this.issuer = new IssuerSimulator(ISSUER, options.cards());
        this.journal = new JournalRows(options.backend());
    }

    /** Starts the issuer and the node, and waits until the node's link to the issuer is up. */
    public static SwitchFixture start(Options options) {
        SwitchFixture fixture = new SwitchFixture(options);
        try {
            fixture.startNode();
            return fixture;
        } catch (IOException | RuntimeException e) {
            fixture.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    private void startNode() throws IOException {
        Path dir = options.dir();
        List<TerminalFile.TerminalEntry> terminals = new ArrayList<>();
        for (TerminalDialect dialect : TerminalDialect.values()) {
            for (int i = 1; i <= options.terminalsPerDialect(); i++) {
                terminals.add(new TerminalFile.TerminalEntry(terminalId(dialect, i), MERCHANT, dialect.configName(), tmk.keyBlock(), null, true));
            }
        }
        Path terminalsFile = dir.resolve("terminals.yaml");
        Files.writeString(terminalsFile, TerminalFile.write(new TerminalFile.Contents(
                List.of(new Merchant(MERCHANT, "Shop", "5411", "156", null)), terminals)));
        Path routes = dir.resolve("routes.yaml");
        Files.writeString(routes, "routes:\n  - name: " + ISSUER + "\n    bins: [\"" + IssuerSimulator.BIN + "\"]\n    primary: " + ISSUER + "\n");
        SecureKey switchZmk = IssuerKeys.fromClear(switchHsm, IssuerSimulator.ZMK, IssuerSimulator.PVK).zmk();
        // reconnect within 50-200 ms so that tests which stop and start the issuer see the link back soon
        IssuerConfig bankA = new IssuerConfig(ISSUER, "127.0.0.1", issuer.port(), options.issuerConnections(), null, null,
                options.issuerTimeoutMs(), options.issuerEchoIntervalMs(), 0, 50, 200, "12345678", null, switchZmk.keyBlock(), null);
        List<ListenerConfig> listeners = Arrays.stream(TerminalDialect.values())
                .map(d -> new ListenerConfig(d.configName(), "127.0.0.1", 0, d.configName(), null, 0, 0, 0, 0)).toList();
        SwitchConfig config = new SwitchConfig("node-1", "UTC", listeners, new OpsConfig("127.0.0.1", 0, OPS_TOKEN),
                // owed reversals beside the other files of the fixture, not in the working directory
                options.backend().config(options.journalPoolSize(), 0).withOwedReversalsDir(dir.toString()),
                new SecurityConfig(dir.resolve("lmk.key").toString(), null, null),
                PipelineConfig.defaults(), List.of(bankA), routes.toString(), terminalsFile.toString(), options.limits());
        nodeConfig = options.configure().apply(switchHsm, config);
        node = SwitchNode.start(nodeConfig, switchHsm, options.clock());
        awaitIssuerLink(true);
    }

    /**
     * A second node on the same journal database, issuer and terminals (its own ports), as a
     * deployment behind a load balancer runs it; closed with the fixture. Its link to the issuer is up.
     */
    public SwitchNode startAnotherNode(String nodeId) {
        return startAnotherNode(nodeId, nodeConfig.security());
    }

    /** {@link #startAnotherNode(String)} with security configuration of its own (its PAN keys found beside another LMK file). */
    public SwitchNode startAnotherNode(String nodeId, SecurityConfig security) {
        SwitchConfig c = nodeConfig;
        SwitchNode other = SwitchNode.start(new SwitchConfig(nodeId, c.businessZone(), c.listeners(), c.ops(), c.journal(),
                security, c.pipeline(), c.issuers(), c.routesFile(), c.terminalsFile(), c.limits(), c.transactions(), c.standIn(), c.settlement(),
                c.emvParametersFile()),
                switchHsm, Clock.systemUTC());
        others.add(other);
        await().atMost(Duration.ofSeconds(30)).until(() -> other.issuerLinks().isUp(ISSUER));
        return other;
    }

    /** Waits until the node sees the issuer link up (or down). */
    public void awaitIssuerLink(boolean up) {
        await().atMost(Duration.ofSeconds(30)).until(() -> node.issuerLinks().isUp(ISSUER) == up);
    }

    public static String terminalId(TerminalDialect dialect, int number) {
        return String.format(Locale.ROOT, "%s%05d", dialect.idPrefix(), number);
    }

    /** The terminal port of {@code dialect}. */
    public int port(TerminalDialect dialect) {
        return node.terminalPorts().get(dialect.ordinal());
    }

    /** A connected terminal {@code number} of {@code dialect}, not yet signed on; closed with the fixture. */
    public TerminalSide connect(TerminalDialect dialect, int number) {
        return connect(dialect, terminalId(dialect, number));
    }

    /** A connection that presents itself as {@code terminalId} (which may be unknown to the switch). */
    public TerminalSide connect(TerminalDialect dialect, String terminalId) {
        try {
            TerminalSide terminal = new TerminalSide(dialect, port(dialect), switchHsm, tmk, terminalId);
            synchronized (opened) {
                opened.add(terminal);
            }
            return terminal;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Terminal {@code number} of {@code dialect}, connected and signed on. */
    public TerminalSide signedOn(TerminalDialect dialect, int number) throws IOException {
        TerminalSide terminal = connect(dialect, number);
        String code = terminal.signOn("000001");
        if (!"00".equals(code)) {
            throw new AssertionError("sign-on of " + terminal.terminalId() + " answered " + code);
        }
        return terminal;
    }

    /**
     * Terminal {@code terminalId} of {@code dialect} (signed on at this fixture's node) connected to
     * another {@code node} and signed on there, as the load balancer sends it; the caller closes it.
     */
    public TerminalSide signedOnAt(SwitchNode node, TerminalDialect dialect, String terminalId) throws IOException {
        TerminalSide terminal = new TerminalSide(dialect, node.terminalPorts().get(dialect.ordinal()), switchHsm, tmk, terminalId);
        String code = terminal.signOn("000001");
        if (!"00".equals(code)) {
            terminal.close();
            throw new AssertionError("sign-on of " + terminalId + " at " + node.config().nodeId() + " answered " + code);
        }
        return terminal;
    }

    /** A card of the issuer as a terminal reads it. */
    public static TerminalRequests.Card read(IssuedCard card) {
        return new TerminalRequests.Card(card.account().pan(), card.account().expiry().format(YYMM));
    }

    public IssuerSimulator issuer() {
        return issuer;
    }

    public SwitchNode node() {
        return node;
    }

    public JournalRows journal() {
        return journal;
    }

    public JournalBackend backend() {
        return options.backend();
    }

    /** The switch's HSM (holds the terminals' TMK); tests use it only as the terminal's own key store. */
    public Hsm hsm() {
        return switchHsm;
    }

    public SecureKey tmk() {
        return tmk;
    }


    @Override
    public void close() {
        synchronized (opened) {
            for (TerminalSide terminal : opened) {
                try {
                    terminal.close();
                } catch (IOException e) {
                    // the connection is gone either way
                }
            }
        }
        others.forEach(SwitchNode::close);
        if (node != null) {
            node.close();
        }
        issuer.close();
    }
}
