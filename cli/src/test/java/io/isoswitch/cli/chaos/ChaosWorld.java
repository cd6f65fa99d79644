package io.isoswitch.cli.chaos;

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
import io.isoswitch.sim.fault.FaultInjector;
import io.isoswitch.sim.fault.FaultPlan;
import io.isoswitch.sim.issuer.IssuerBank;
import io.isoswitch.sim.issuer.IssuerPolicy;
import io.isoswitch.sim.issuer.host.IssuerHost;
import io.isoswitch.sim.issuer.host.IssuerHostConfig;
import io.isoswitch.sim.issuer.host.IssuerKeys;
import io.isoswitch.sim.ledger.LedgerExport;
import io.isoswitch.sim.terminal.TerminalDialect;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What a chaos run needs beside the switch processes: two issuer banks (simulators in this JVM,
 * each with its fault injector), their cards, the terminals' keys, a fresh PostgreSQL schema, and
 * the files a {@code serve} process reads (LMK, terminals, routes, one YAML per node).
 */
final class ChaosWorld implements AutoCloseable {
    static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    static final String MERCHANT_ID = "CHAOSMERCHANT01";
    static final int CNY = 156;
    static final long OPENING_BALANCE_MINOR = 50_000_000;
    static final String ACQUIRER = "10000000001";
    private static final String ZMK = "0123456789ABCDEFFEDCBA9876543210";
    private static final String PVK = "11223344556677888877665544332211";

    /** A simulated bank: its host (and fault injector) and the cards it issued. */
    record Bank(String id, String bin, IssuerHost host, List<IssuedCard> cards) {
        IssuerBank bank() {
            return host.bank();
        }

        FaultInjector faults() {
            return host.faults();
        }
    }

    /**
     * A terminal: its id, its dialect, and its TMK in clear (the terminal side forms it under its
     * own HSM). {@link #listener()} is the index of its dialect's port in a node's listeners.
     */
    record ChaosTerminalKeys(String id, TerminalDialect dialect, String clearTmkHex) {
        int listener() {
            return DIALECTS.indexOf(dialect);
        }
    }

    /** The terminal ports of every node, in this order; terminals take them in turn. */
    static final List<TerminalDialect> DIALECTS = List.of(TerminalDialect.ISO87_BINARY, TerminalDialect.ISO87_ASCII,
            TerminalDialect.CUP_POS);

    private final Path dir;
    private final String schema = "chaos_" + HexFormat.of().formatHex(randomBytes());
    private final List<Bank> banks = new ArrayList<>();
    private final List<ChaosTerminalKeys> terminals = new ArrayList<>();
    private final Path terminalsFile;
    private final Path routesFile;
    private final Path lmkFile;
    private final SecureKey switchZmk;

    ChaosWorld(Path dir, int terminalCount, int cardsPerBank, FaultPlan faults, long seed) {
        this.dir = dir;
        this.lmkFile = dir.resolve("lmk.key");
        LocalMasterKey.generate(new SecureRandom()).writeNew(lmkFile);
        Hsm switchHsm = new SoftwareHsm(LocalMasterKey.read(lmkFile));
        this.switchZmk = IssuerKeys.fromClear(switchHsm, ZMK, PVK).zmk();
        startBank("bank-a", "622202", cardsPerBank, faults, seed);
        startBank("bank-b", "476173", cardsPerBank, faults, seed + 1);
        List<TerminalFile.TerminalEntry> entries = new ArrayList<>();
        for (int n = 1; n <= terminalCount; n++) {
            String id = String.format(Locale.ROOT, "CHAO%04d", n);
            String clearTmk = String.format(Locale.ROOT, "%016X%016X", 0x1111_2222_3333_4444L * n, 0x5555_6666_7777_8888L * n);
            SecureKey tmk = switchHsm.formKey(KeyKind.TMK, KeyAlgorithm.TDES_2KEY, List.of(HexFormat.of().parseHex(clearTmk)));
            TerminalDialect dialect = DIALECTS.get((n - 1) % DIALECTS.size());
            entries.add(new TerminalFile.TerminalEntry(id, MERCHANT_ID, dialect.specName(), tmk.keyBlock(), null, true));
            terminals.add(new ChaosTerminalKeys(id, dialect, clearTmk));
        }
        this.terminalsFile = write("terminals.yaml", TerminalFile.write(new TerminalFile.Contents(
                List.of(new Merchant(MERCHANT_ID, "Chaos Shop", "5411", Integer.toString(CNY), null)), entries)));
        StringBuilder routes = new StringBuilder("routes:\n");
        for (Bank bank : banks) {
            routes.append("  - {name: ").append(bank.id()).append(", bins: [\"").append(bank.bin()).append("\"], primary: ")
                    .append(bank.id()).append("}\n");
        }
        this.routesFile = write("routes.yaml", routes.toString());
    }

    private void startBank(String id, String bin, int cardCount, FaultPlan faults, long seed) {
        IssuerKeys keys = IssuerKeys.fromClear(new SoftwareHsm(LocalMasterKey.generate(new SecureRandom())), ZMK, PVK);
        CardGenerator.Options options = new CardGenerator.Options(List.of(bin), 16, CNY, OPENING_BALANCE_MINOR,
                OPENING_BALANCE_MINOR, YearMonth.now(), id.toUpperCase(Locale.ROOT));
        List<IssuedCard> cards = new CardGenerator(options, keys.pvvEnroller()).generate(cardCount, seed);
        IssuerBank bank = new IssuerBank(id, cards.stream().map(IssuedCard::account).toList(), IssuerPolicy.defaults(),
                Clock.systemUTC());
        IssuerHost host = IssuerHost.start(IssuerHostConfig.local(bank, keys).withFaults(new FaultInjector(faults, seed)));
        banks.add(new Bank(id, bin, host, cards));
    }

    /**
     * The YAML of node {@code nodeNumber}: a listener per dialect and the ops port on free ports,
     * the shared schema, short issuer timeouts so that faults turn into reversals quickly.
     */
    Path nodeConfig(int nodeNumber, long issuerTimeoutMs) {
        return nodeConfig(nodeNumber, issuerTimeoutMs, 0);
    }

    /** As {@link #nodeConfig(int, long)}, with a daily count limit on each card's purchases (0 for none). */
    Path nodeConfig(int nodeNumber, long issuerTimeoutMs, int cardDailyPurchases) {
        return nodeConfig(nodeNumber, issuerTimeoutMs, cardDailyPurchases, POSTGRES_URL);
    }

    /**
     * As {@link #nodeConfig(int, long, int)}, reaching PostgreSQL at {@code jdbcUrl} (through a
     * {@link DatabaseLink}, say).
     */
    Path nodeConfig(int nodeNumber, long issuerTimeoutMs, int cardDailyPurchases, String jdbcUrl) {
        StringBuilder yaml = new StringBuilder();
        if (cardDailyPurchases > 0) {
            yaml.append("limits: {categories: {default: {card: {PURCHASE: {dailyCount: ").append(cardDailyPurchases)
                    .append("}}}}}\n");
        }
        String breakerOpenMs = System.getProperty("chaos.breakerOpenMs");
        if (breakerOpenMs != null) {
            // reproduction only: a breaker that opens at once and stays open long
            yaml.append("standIn:\n");
            for (Bank bank : banks) {
                yaml.append("  ").append(bank.id()).append(": {mode: decline, failureRatePercent: 50, minimumCalls: 2, windowCalls: 4, openMs: ")
                        .append(breakerOpenMs).append("}\n");
            }
        }
        yaml.append("nodeId: node-").append(nodeNumber).append('\n');
        yaml.append("listeners:\n");
        for (TerminalDialect dialect : DIALECTS) {
            yaml.append("  - {name: ").append(dialect.specName()).append(", host: 127.0.0.1, port: 0, dialect: ")
                    .append(dialect.specName()).append("}\n");
        }
        yaml.append("ops: {host: 127.0.0.1, port: 0}\n");
        yaml.append("journal: {url: \"").append(jdbcUrl).append("\", user: postgres, password: \"\", poolSize: 6, schema: ")
                .append(schema).append(", owedReversalsDir: \"").append(lmkFile.getParent()).append("\"}\n");
        yaml.append("security: {lmkFile: \"").append(lmkFile).append("\"}\n");
        yaml.append("routesFile: \"").append(routesFile).append("\"\n");
        yaml.append("terminalsFile: \"").append(terminalsFile).append("\"\n");
        yaml.append("issuers:\n");
        for (Bank bank : banks) {
            yaml.append("  - {issuerId: ").append(bank.id()).append(", host: 127.0.0.1, port: ").append(bank.host().port())
                    .append(", connections: 2, requestTimeoutMs: ").append(issuerTimeoutMs)
                    .append(", reconnectBackoffMinMs: 100, reconnectBackoffMaxMs: 1000, acquiringInstitutionId: \"")
                    .append(ACQUIRER).append("\", zmkKeyBlock: \"").append(switchZmk.keyBlock()).append("\"}\n");
        }
        return write("node-" + nodeNumber + ".yaml", yaml.toString());
    }

    /** Stops every fault: from now on the banks answer everything at once. */
    void calm() {
        banks.forEach(bank -> bank.faults().setPlan(FaultPlan.none()));
    }

    /** Writes each bank's ledger entries as the CSV {@code audit --issuer-ledger} reads; bank id -> file. */
    Map<String, Path> exportLedgers() {
        Map<String, Path> files = new LinkedHashMap<>();
        for (Bank bank : banks) {
            Path file = dir.resolve(bank.id() + "-entries.csv");
            try (Writer out = Files.newBufferedWriter(file)) {
                LedgerExport.writeEntries(bank.bank().snapshot().entries(), out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            files.put(bank.id(), file);
        }
        return files;
    }

    /** Every row of a query as one line of its columns, for a failure's message. */
    String rows(String sql) {
        StringBuilder out = new StringBuilder();
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            int columns = r.getMetaData().getColumnCount();
            while (r.next()) {
                for (int i = 1; i <= columns; i++) {
                    out.append(i == 1 ? "  " : " | ").append(r.getString(i));
                }
                out.append('\n');
            }
            return out.toString();
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Runs one query on the run's schema and returns the first column of its first row. */
    long count(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /**
     * The JDBC URL of PostgreSQL through {@code port} (a {@link DatabaseLink}'s), naming the run's
     * schema as the connections' application name, so that {@link #terminateSwitchBackends()}
     * finds the switch's sessions of this run and no other session of the server.
     */
    String jdbcUrlThrough(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/test?ApplicationName=" + schema;
    }

    /**
     * {@code pg_terminate_backend} of every session whose application name is this run's schema
     * (the switch's pool through {@link #jdbcUrlThrough(int)}); how many were terminated.
     */
    int terminateSwitchBackends() {
        try (Connection c = DriverManager.getConnection(POSTGRES_URL, "postgres", "");
             java.sql.PreparedStatement s = c.prepareStatement("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                     + " WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = ?")) {
            s.setString(1, schema);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("terminating the switch's backends: " + e.getMessage(), e);
        }
    }

    Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(POSTGRES_URL, "postgres", "");
        try (Statement s = c.createStatement()) {
            s.execute("SET search_path TO " + schema);
        }
        return c;
    }

    List<Bank> banks() {
        return banks;
    }

    List<ChaosTerminalKeys> terminals() {
        return terminals;
    }

    Path dir() {
        return dir;
    }

    String schema() {
        return schema;
    }

    Path write(String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[5];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    @Override
    public void close() {
        banks.forEach(bank -> bank.host().close());
        if (Boolean.getBoolean("chaos.keepSchema")) {
            System.out.println("chaos schema kept: " + schema);
            return;
        }
        try (Connection c = DriverManager.getConnection(POSTGRES_URL, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            // leaving a schema behind is untidy, not wrong; the next run uses another name
        }
    }
}
