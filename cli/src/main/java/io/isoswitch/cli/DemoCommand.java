package io.isoswitch.cli;

import io.isoswitch.cli.demo.DemoAudit;
import io.isoswitch.cli.demo.DemoLoad;
import io.isoswitch.cli.demo.DemoWorld;
import io.isoswitch.core.node.SwitchNode;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code iso-switch demo}: the switch on its embedded defaults (H2 journal under the data folder),
 * two in-process issuer banks with test cards, demo terminals of every dialect, a short mixed load
 * from the terminal simulator with a progress bar, a summary, then serving until Ctrl-C.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the switch with simulated banks and terminals, drive a short mixed load, then keep serving.")
final class DemoCommand implements Callable<Integer> {
    static final String DEFAULT_DATA = "data/demo";
    /** The terminals and cards of the demo, written under --data for {@code load --world} to read. */
    static final String LOAD_WORLD_FILE = "load-world.yaml";
    /** How long Ctrl-C waits for the switch to stop and the audit files to be written. */
    private static final int STOP_TIMEOUT_SECONDS = 30;

    /** Counted down once the switch has stopped and the audit files are written (or the run failed). */
    private final CountDownLatch finished = new CountDownLatch(1);

    @Option(names = "--data", paramLabel = "DIR", defaultValue = DEFAULT_DATA, description = "Where the demo keeps its keys, journal and files (default: ${DEFAULT-VALUE}).")
    private Path data;

    @Option(names = "--fresh", description = "Start with an empty journal and empty bank ledgers (default: go on from "
            + "those an earlier run left in --data, stopped or killed).")
    private boolean fresh;

    @Option(names = "--load-seconds", defaultValue = "10", description = "How long the mixed load runs (default: ${DEFAULT-VALUE}; never longer than --duration).")
    private int loadSeconds;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Stop after this many seconds in all (default: serve until Ctrl-C).")
    private Integer duration;

    @Option(names = "--terminals-per-dialect", defaultValue = "2", description = "Demo terminals of each dialect (default: ${DEFAULT-VALUE}).")
    private int terminalsPerDialect;

    @Option(names = "--port-base", defaultValue = "8583", description = "First terminal port; the next two follow, the ops port is --ops-port. 0 picks free ports (default: ${DEFAULT-VALUE}).")
    private int portBase;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = DemoWorld.LOOPBACK,
            description = "Address of the terminal ports (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface: the demo's terminal keys are printed for anyone).")
    private String bind;

    @Option(names = "--cards-per-bank", defaultValue = "16", description = "Test cards of each bank (default: ${DEFAULT-VALUE}).")
    private int cardsPerBank;

    @Option(names = "--ops-port", description = "The ops HTTP port (default: 8080, or a free one with --port-base 0).")
    private Integer opsPort;

    @Option(names = "--journal-url", paramLabel = "JDBC_URL", description = "The journal's database (default: an H2 file under --data); benchmarks use PostgreSQL or jdbc:h2:mem.")
    private String journalUrl;

    @Option(names = "--journal-user", description = "The journal database's user.")
    private String journalUser;

    @Option(names = "--journal-schema", description = "The journal's schema (created and migrated at start).")
    private String journalSchema;

    @Option(names = "--journal-writers", defaultValue = "0", description = "Group-commit writer threads of a --journal-url journal (default: journal.writerThreads' default).")
    private int journalWriters;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        long started = System.nanoTime();
        io.isoswitch.core.config.JournalConfig journal = journalUrl == null ? null
                : new io.isoswitch.core.config.JournalConfig(journalUrl, journalUser, null, 0, 0, journalSchema, journalWriters);
        if (journal != null) {
            refuseKeptJournal(journal);
        }
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        try (DemoWorld world = DemoWorld.create(data, bind, portBase, opsPort, terminalsPerDialect, cardsPerBank, journal, true, fresh)) {
            if (world.bookingsTakenUp() > 0) {
                out.println("went on from the journal and the banks' ledgers of the runs before in " + data + " ("
                        + world.bookingsTakenUp() + " bookings); the switch finishes what a killed run left. --fresh starts empty.");
            }
            int code;
            try (SwitchNode node = SwitchNode.start(world.config(), world.switchHsm(), Clock.systemUTC())) {
                code = runAndServe(world, node, started, out);
            }
            // the switch has stopped, nothing more reaches a bank or the journal: both are of one moment
            out.println("\nstopped; the issuers' ledgers and the journal's settings are in " + data.resolve(DemoAudit.FOLDER)
                    + ". Compare them (the money test) with:");
            LocalDate firstDate = earliestBusinessDate(world.config().journal()).orElse(today);
            DemoAudit.write(world, data, firstDate, LocalDate.now(ZoneOffset.UTC)).forEach(command -> out.println("  " + command));
            out.flush();
            return code;
        } finally {
            finished.countDown();
        }
    }

    private int runAndServe(DemoWorld world, SwitchNode node, long started, PrintStream out) throws Exception {
        Path credentials = data.resolve("demo-credentials.txt");
        Files.writeString(credentials, world.credentials());
        Path loadWorld = data.resolve(LOAD_WORLD_FILE);
        world.loadWorld().write(loadWorld);
        out.println(world.credentials());
        out.println("(written to " + credentials + ")");
        out.println("switch: terminal ports " + node.terminalPorts() + " (iso87binary, iso87ascii, cup-pos), "
                + "metrics http://127.0.0.1:" + node.opsPort() + "/metrics, dashboard http://127.0.0.1:" + node.opsPort() + "/");
        out.println("ops command, e.g.: curl -X POST -H 'Authorization: Bearer " + world.opsToken() + "' 'http://127.0.0.1:"
                + node.opsPort() + "/ops/issuers/bank-a/stand-in?on=true'");
        awaitIssuers(world, node);
        out.println("terminals and cards for ./iso-switch load: " + loadWorld);
        // --duration is the whole run: a shorter one cuts the load (demo --duration 5 runs 5 s of load)
        int loadFor = duration == null ? loadSeconds : Math.min(loadSeconds, duration);
        if (loadFor <= 0) {
            return serve(started, out);
        }
        out.println("\ndriving " + loadFor + " s of mixed load from " + world.terminals().size() + " terminals"
                + " (each line: the " + io.isoswitch.sim.terminal.TerminalDialect.values()[0].specName()
                + " terminals' answers per second; the summary counts every dialect)...");
        DemoLoad.Summary summary = new DemoLoad(world, node.terminalPorts()).run(Duration.ofSeconds(loadFor), out);
        print(summary, out);
        for (DemoWorld.Bank bank : world.banks()) {
            java.util.List<String> violations = bank.bank().conservationViolations();
            out.println(bank.id() + " ledger: " + bank.bank().snapshot().entries().size() + " entries; "
                    + (violations.isEmpty() ? "every balance = opening + entries" : violations));
        }
        return serve(started, out);
    }

    /**
     * The first business date of the journal's records (every run since the books were last
     * started empty), so that the audit commands cover each; empty when it holds none.
     */
    private static java.util.Optional<LocalDate> earliestBusinessDate(io.isoswitch.core.config.JournalConfig journal) {
        return readJournal(journal, "SELECT MIN(business_date) FROM journal",
                r -> r.getDate(1) == null ? null : r.getDate(1).toLocalDate());
    }

    /**
     * One value the journal's database answers {@code sql} with, read outside the switch; empty when
     * there is no journal there yet (a new schema or database) or the database is out of reach,
     * which the switch's own start reports.
     */
    private static <T> java.util.Optional<T> readJournal(io.isoswitch.core.config.JournalConfig journal, String sql,
                                                         ColumnReader<T> reader) {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(journal.url(), journal.user(), journal.password())) {
            if (journal.schema() != null) {
                c.setSchema(journal.schema());
            }
            try (java.sql.Statement s = c.createStatement(); java.sql.ResultSet r = s.executeQuery(sql)) {
                return r.next() ? java.util.Optional.ofNullable(reader.read(r)) : java.util.Optional.empty();
            }
        } catch (java.sql.SQLException e) {
            return java.util.Optional.empty();
        }
    }

    /** Reads the value of the current row. */
    private interface ColumnReader<T> {
        T read(java.sql.ResultSet row) throws java.sql.SQLException;
    }

    /**
     * The banks of a --journal-url run keep their ledgers in memory only (the benchmarks' journals
     * are theirs to keep or drop), so a journal kept from an earlier run would send its unfinished
     * business to banks that never booked it, and audit would find differences that are not the
     * switch's. A --journal-url database is not the demo's to empty either: a run on one that holds
     * records stops here and says what to do.
     */
    private static void refuseKeptJournal(io.isoswitch.core.config.JournalConfig journal) {
        long records = readJournal(journal, "SELECT COUNT(*) FROM journal", r -> r.getLong(1)).orElse(0L);
        if (records > 0) {
            throw new IllegalStateException("the journal at " + journal.url()
                    + (journal.schema() != null ? " (schema " + journal.schema() + ")" : "") + " holds " + records
                    + " records of an earlier run, whose banks' ledgers were not kept: give a new --journal-schema,"
                    + " or drop that one first");
        }
    }

    private static void awaitIssuers(DemoWorld world, SwitchNode node) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (DemoWorld.Bank bank : world.banks()) {
            while (!node.issuerLinks().isUp(bank.id())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("issuer link " + bank.id() + " did not come up in 30 s");
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
        }
    }

    private int serve(long started, PrintStream out) throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        // Ctrl-C: the JVM halts once its shutdown hooks return, so this one waits for the demo to stop
        // the switch and write the audit files (bounded: a hung stop must not keep the process alive)
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                finished.await(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "demo-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        if (duration == null) {
            out.println("\nserving; Ctrl-C stops.");
            stop.await();
            return 0;
        }
        long left = TimeUnit.SECONDS.toNanos(duration) - (System.nanoTime() - started);
        if (left > 0) {
            out.println("\nserving for " + TimeUnit.NANOSECONDS.toSeconds(left) + " s more...");
            stop.await(left, TimeUnit.NANOSECONDS);
        }
        if (stop.getCount() > 0) {
            // stopped by --duration, not by a signal: the hook is not needed (and would pile up in a test JVM)
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        return 0;
    }

    private static void print(DemoLoad.Summary summary, PrintStream out) {
        Histogram latency = summary.latencyMicros();
        out.printf("%n%,d transactions in %.1f s: %,.0f per second%n", summary.transactions(), summary.seconds(), summary.perSecond());
        out.println("response codes:");
        for (Map.Entry<String, Long> entry : summary.byResponseCode().entrySet()) {
            out.printf("  %-28s %,8d%n", entry.getKey(), entry.getValue());
        }
        if (latency.getTotalCount() > 0) {
            out.printf("latency (ms): p50 %.2f  p90 %.2f  p99 %.2f  max %.2f%n", latency.getValueAtPercentile(50) / 1000.0,
                    latency.getValueAtPercentile(90) / 1000.0, latency.getValueAtPercentile(99) / 1000.0, latency.getMaxValue() / 1000.0);
        }
    }
}
