package io.isoswitch.cli.demo;

import io.isoswitch.sim.load.LoadGenerator;
import io.isoswitch.sim.load.LoadMix;
import io.isoswitch.sim.load.LoadPlan;
import io.isoswitch.sim.load.LoadReport;
import io.isoswitch.sim.load.LoadWorld;
import io.isoswitch.sim.terminal.TerminalDialect;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.HdrHistogram.Histogram;

/**
 * The demo's traffic: the load generator of the simulators, once per dialect at the same time, each
 * demo terminal on its own connection signing on and running a mix of purchases, balance
 * inquiries, pre-authorizations and refunds with the banks' test cards, for a fixed time.
 */
public final class DemoLoad {
    static final String MIX = "purchase=70,balance=15,preauth=10,refund=5";

    private final DemoWorld world;
    private final List<Integer> terminalPorts;

    public DemoLoad(DemoWorld world, List<Integer> terminalPorts) {
        this.world = world;
        this.terminalPorts = terminalPorts;
    }

    /** The result of a run. */
    public record Summary(long transactions, double seconds, Map<String, Long> byResponseCode, Histogram latencyMicros) {
        public double perSecond() {
            return seconds == 0 ? 0 : transactions / seconds;
        }
    }

    /** Runs the load for {@code duration}, printing progress (of the first dialect) to {@code out}, and sums it up. */
    public Summary run(Duration duration, PrintStream out) throws InterruptedException {
        LoadWorld loadWorld = world.loadWorld();
        // a run goes on from the journal of the runs before: STANs from 1 again would be answered
        // from it as repeats (or refused 94), so each run starts its terminals' STANs somewhere new
        int stanStart = java.util.concurrent.ThreadLocalRandom.current().nextInt(1, 1_000_000);
        List<LoadGenerator> generators = new ArrayList<>();
        for (TerminalDialect dialect : TerminalDialect.values()) {
            int connections = loadWorld.terminalsOf(dialect).size();
            LoadPlan plan = LoadPlan.closedLoop("127.0.0.1", terminalPorts.get(dialect.ordinal()), dialect, connections,
                    Duration.ZERO, duration, LoadMix.parse(MIX)).withTimeout(Duration.ofSeconds(15)).withStanStart(stanStart);
            generators.add(new LoadGenerator(plan, loadWorld, generators.isEmpty() ? out : null));
        }
        List<LoadReport> reports = new ArrayList<>();
        try (ExecutorService runs = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<LoadReport>> running = new ArrayList<>();
            for (LoadGenerator generator : generators) {
                running.add(runs.submit(generator::run));
            }
            for (Future<LoadReport> report : running) {
                reports.add(report.get());
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("the demo load failed: " + e.getCause(), e.getCause());
        }
        Map<String, Long> codes = new TreeMap<>();
        Histogram latency = new Histogram(3);
        long transactions = 0;
        for (int i = 0; i < reports.size(); i++) {
            LoadReport report = reports.get(i);
            report.responseCodes().forEach((code, count) -> codes.merge(code, count, Long::sum));
            report.errors().forEach((error, count) -> {
                if (count > 0) {
                    codes.merge("error: " + error.name().toLowerCase(java.util.Locale.ROOT), count, Long::sum);
                }
            });
            if (report.timeouts() > 0) {
                codes.merge("TIMEOUT", report.timeouts(), Long::sum);
            }
            latency.add(generators.get(i).latencyMicros());
            transactions += report.answered();
        }
        return new Summary(transactions, duration.toMillis() / 1000.0, codes, latency);
    }
}
