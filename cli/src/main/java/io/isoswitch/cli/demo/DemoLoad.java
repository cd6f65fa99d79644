package io.isoswitch.cli.demo;

import io.isoswitch.security.KeyAlgorithm;
import io.isoswitch.security.KeyKind;
import io.isoswitch.security.LocalMasterKey;
import io.isoswitch.security.SecureKey;
import io.isoswitch.security.SoftwareHsm;
import io.isoswitch.sim.card.IssuedCard;
import io.isoswitch.sim.terminal.CardData;
import io.isoswitch.sim.terminal.PosTerminal;
import io.isoswitch.sim.terminal.TerminalConfig;
import io.isoswitch.sim.terminal.TerminalResult;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The demo's traffic: each demo terminal (a {@link PosTerminal} of the simulators, on its own
 * thread) signs on and runs a mix of purchases, balance inquiries, pre-authorizations and refunds
 * with the banks' test cards, one in twenty with a wrong PIN, for a fixed time. Counts answers by
 * response code and records latency in an HdrHistogram.
 */
public final class DemoLoad {
    private static final long MAX_LATENCY_MICROS = TimeUnit.SECONDS.toMicros(60);

    private final DemoWorld world;
    private final List<Integer> terminalPorts;
    private final Map<String, LongAdder> byCode = new ConcurrentHashMap<>();
    private final Recorder latency = new Recorder(MAX_LATENCY_MICROS, 3);
    private final Histogram total = new Histogram(MAX_LATENCY_MICROS, 3);
    private final LongAdder done = new LongAdder();

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

    /** Runs the load for {@code duration}, printing a progress bar to {@code out}, and sums it up. */
    public Summary run(Duration duration, PrintStream out) throws InterruptedException {
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        List<Thread> threads = new ArrayList<>();
        int index = 0;
        for (DemoWorld.DemoTerminal terminal : world.terminals()) {
            int port = terminalPorts.get(terminal.dialect().ordinal());
            long seed = ++index;
            threads.add(Thread.ofPlatform().name("demo-" + terminal.id()).start(() -> drive(terminal, port, end, seed)));
        }
        while (System.nanoTime() < end) {
            TimeUnit.MILLISECONDS.sleep(Math.min(1_000, Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
            progress(out, start, duration);
        }
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(40));
        }
        progress(out, start, duration);
        out.println();
        total.add(latency.getIntervalHistogram());
        Map<String, Long> codes = new TreeMap<>();
        byCode.forEach((code, count) -> codes.put(code, count.sum()));
        return new Summary(done.sum(), (System.nanoTime() - start) / 1e9, codes, total);
    }

    private void drive(DemoWorld.DemoTerminal terminal, int port, long end, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        SoftwareHsm terminalHsm = new SoftwareHsm(LocalMasterKey.generate(new SecureRandom()));
        SecureKey tmk = terminalHsm.formKey(KeyKind.TMK, KeyAlgorithm.TDES_2KEY,
                List.of(HexFormat.of().parseHex(terminal.clearTmkHex())));
        TerminalConfig config = TerminalConfig.of("127.0.0.1", port, terminal.dialect(), terminal.id(),
                DemoWorld.MERCHANT_ID, DemoWorld.CNY, terminalHsm, tmk).withTimeout(Duration.ofSeconds(15));
        try (PosTerminal pos = PosTerminal.connect(config)) {
            count(pos.signOn(), 0);
            while (System.nanoTime() < end) {
                long t0 = System.nanoTime();
                TerminalResult result = next(pos, random);
                count(result, System.nanoTime() - t0);
            }
        } catch (RuntimeException e) {
            byCode.computeIfAbsent("error: " + e.getClass().getSimpleName(), k -> new LongAdder()).increment();
        }
    }

    private TerminalResult next(PosTerminal pos, SplittableRandom random) {
        List<DemoWorld.Bank> banks = world.banks();
        DemoWorld.Bank bank = banks.get(random.nextInt(banks.size()));
        IssuedCard issued = bank.cards().get(random.nextInt(bank.cards().size()));
        CardData card = CardData.of(issued);
        if (random.nextInt(20) == 0) {
            card = card.withPin(issued.pin().equals("0000") ? "1111" : "0000");
        }
        long amount = 100 + random.nextInt(50_000);
        int pick = random.nextInt(100);
        if (pick < 70) {
            return pos.purchase(card, amount);
        } else if (pick < 85) {
            return pos.balanceInquiry(card);
        } else if (pick < 95) {
            return pos.preAuth(card, amount);
        }
        // a refund names the purchase it gives back (part of), as the switch requires by default
        TerminalResult purchase = pos.purchase(card, amount);
        return purchase.approved() ? pos.refundOf(purchase, Math.max(1, amount / 2)) : purchase;
    }

    private void count(TerminalResult result, long nanos) {
        String key = result.outcome() == TerminalResult.Outcome.ANSWERED ? result.responseCode() : result.outcome().name();
        byCode.computeIfAbsent(key, k -> new LongAdder()).increment();
        if (nanos > 0) {
            latency.recordValue(Math.min(MAX_LATENCY_MICROS, Math.max(1, TimeUnit.NANOSECONDS.toMicros(nanos))));
            done.increment();
        }
    }

    private void progress(PrintStream out, long start, Duration duration) {
        double elapsed = (System.nanoTime() - start) / 1e9;
        int width = 30;
        int filled = (int) Math.min(width, Math.round(width * elapsed / Math.max(1, duration.toSeconds())));
        out.printf("\r[%s%s] %4.0fs  %,8d transactions  %,7.0f/s", "#".repeat(filled), " ".repeat(width - filled),
                elapsed, done.sum(), done.sum() / Math.max(0.001, elapsed));
        out.flush();
    }
}
