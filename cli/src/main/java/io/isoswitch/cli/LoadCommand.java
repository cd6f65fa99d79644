package io.isoswitch.cli;

import io.isoswitch.codec.net.Transport;
import io.isoswitch.sim.load.LoadGenerator;
import io.isoswitch.sim.load.LoadMix;
import io.isoswitch.sim.load.LoadPlan;
import io.isoswitch.sim.load.LoadReport;
import io.isoswitch.sim.load.LoadWorld;
import io.isoswitch.sim.terminal.TerminalDialect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code iso-switch load}: the load generator of the simulators against a running switch (or any
 * ISO 8583 host): progress every second on standard error, the report on standard output, and
 * optionally as JSON.
 */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = "Drive a switch with many terminals (closed loop or a fixed rate) and report throughput and latency.")
final class LoadCommand implements Callable<Integer> {
    /** Where {@code demo} (with its default --data) writes its load world. */
    static final String DEFAULT_WORLD = DemoCommand.DEFAULT_DATA + "/" + DemoCommand.LOAD_WORLD_FILE;

    @Option(names = "--target", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8583", description = "The switch's terminal port (default: ${DEFAULT-VALUE}).")
    private String target;

    @Option(names = "--dialect", defaultValue = "iso87binary", description = "iso87binary, iso87ascii or cup-pos (default: ${DEFAULT-VALUE}).")
    private String dialect;

    @Option(names = "--terminals", defaultValue = "8", description = "Terminal connections (default: ${DEFAULT-VALUE}).")
    private int terminals;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "10", description = "Measured time (default: ${DEFAULT-VALUE}).")
    private double duration;

    @Option(names = "--requests", paramLabel = "N", defaultValue = "0", description = "Closed loop: end the measured time once N requests were sent over all terminals, or at --duration if that comes first; 0 = no bound (default: ${DEFAULT-VALUE}).")
    private long requests;

    @Option(names = "--warmup", paramLabel = "SECONDS", defaultValue = "2", description = "Traffic before measuring, not recorded (default: ${DEFAULT-VALUE}).")
    private double warmup;

    @Option(names = "--rate", paramLabel = "TPS", defaultValue = "0", description = "Requests per second over all terminals, latency from each one's due time; 0 = closed loop (default: ${DEFAULT-VALUE}).")
    private int rate;

    @Option(names = "--in-flight", paramLabel = "N", description = "Requests outstanding per connection (default: 1 in closed loop, at most 64 at a fixed rate).")
    private Integer inFlight;

    @Option(names = "--mix", defaultValue = "purchase=80,balance=10,refund=5,preauth=5", description = "Operations and weights: echo, purchase, balance, preauth, refund (default: ${DEFAULT-VALUE}).")
    private String mix;

    @Option(names = "--world", paramLabel = "FILE", defaultValue = DEFAULT_WORLD, description = "Terminals (ids, TMKs) and cards the switch knows; `demo` writes one (default: ${DEFAULT-VALUE}).")
    private Path world;

    @Option(names = "--terminal-id", defaultValue = "LOAD0001", description = "For echo-only loads without a world file: the terminal id sent (default: ${DEFAULT-VALUE}).")
    private String terminalId;

    @Option(names = "--timeout-ms", defaultValue = "5000", description = "An unanswered request is a timeout after this (default: ${DEFAULT-VALUE}).")
    private long timeoutMs;

    @Option(names = "--amount", paramLabel = "MINOR", defaultValue = "100", description = "Amount of each purchase, pre-authorization, refund, in minor units (default: ${DEFAULT-VALUE}).")
    private long amount;

    @Option(names = "--stan-start", description = "First STAN of every terminal (default: random, so repeated runs are not answered as repeats).")
    private Integer stanStart;

    @Option(names = "--threads", defaultValue = "2", description = "The generator's I/O threads (default: ${DEFAULT-VALUE}).")
    private int threads;

    @Option(names = "--seed", defaultValue = "1", description = "Seeds the draw of operations and cards (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--no-sign-on", description = "Card transactions without sign-on: the terminals make up their keys (for a host that checks no MAC, as the jPOS yardstick).")
    private boolean noSignOn;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON.")
    private Path json;

    @Option(names = "--transport", description = "auto, io_uring, epoll or nio: the generator's network transport; one that does not load here falls back to the next (default: the system property iso.transport, else auto).")
    private String transport;

    @Override
    public Integer call() throws Exception {
        int colon = target.lastIndexOf(':');
        if (colon < 1) {
            System.err.println("iso-switch load: --target must be HOST:PORT, found " + target);
            return 2;
        }
        LoadMix loadMix = LoadMix.parse(mix);
        TerminalDialect terminalDialect = TerminalDialect.named(dialect);
        LoadWorld loadWorld;
        if (Files.exists(world)) {
            loadWorld = LoadWorld.read(world);
        } else if (!loadMix.needsSignOn()) {
            // a bare echo needs only a terminal id the target knows; the key is never used
            loadWorld = new LoadWorld("LOADMERCHANT001", 156,
                    List.of(new LoadWorld.Terminal(terminalId, terminalDialect.specName(), "0".repeat(32))), List.of());
        } else {
            System.err.println("iso-switch load: no world file " + world + " (run ./iso-switch demo, or pass --world)");
            return 2;
        }
        int start = stanStart != null ? stanStart : ThreadLocalRandom.current().nextInt(1, 1_000_000);
        LoadPlan plan = new LoadPlan(target.substring(0, colon), Integer.parseInt(target.substring(colon + 1)),
                terminalDialect, terminals, seconds(warmup), seconds(duration), rate,
                inFlight != null ? inFlight : rate > 0 ? LoadPlan.DEFAULT_FIXED_RATE_IN_FLIGHT : 1, loadMix,
                Duration.ofMillis(timeoutMs), amount, start, threads, seed, !noSignOn, requests);
        Transport chosen = transport != null ? Transport.select(transport) : Transport.fromSystemProperty();
        System.err.println("iso-switch load: transport " + chosen.label());
        LoadReport report = new LoadGenerator(plan, loadWorld, System.err, chosen).run();
        System.out.print(report.text());
        if (json != null) {
            report.writeJson(json);
        }
        return 0;
    }

    private static Duration seconds(double value) {
        return Duration.ofMillis(Math.round(value * 1000));
    }
}
