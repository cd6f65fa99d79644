package io.isoswitch.cli.chaos;

import io.isoswitch.sim.fault.FaultPlan;
import io.isoswitch.sim.fault.LatencyModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The switch's worst minute, on the real PostgreSQL: eighteen terminals of the three dialects
 * (iso87binary, iso87ascii, cup-pos) send mixed traffic
 * (purchases, balance inquiries, their own reversals of approvals, repeats) through one switch
 * process while both issuer simulators drop answers, answer late, close connections, send garbage
 * and answer twice, and the switch process is killed with SIGKILL and started again four times.
 * Afterwards, once nothing is owed: every account was debited exactly what terminals were told
 * was approved and did not reverse (a purchase a terminal got no answer for is reversed by the
 * terminal, repeated until acknowledged, and must end not debited), nothing twice, every reversal
 * delivered, and {@code audit} reports no difference.
 *
 * <p>Bounded: about 40 s of load plus the restarts and the drain. Timing varies from run to run;
 * the money checks do not depend on it.
 */
class SwitchChaosTest {
    static final FaultPlan FAULTS = FaultPlan.none()
            .withLatency(new LatencyModel.Uniform(Duration.ZERO, Duration.ofMillis(15)))
            .withNoAnswerShare(0.02)
            .withLateAnswers(0.02, Duration.ofMillis(1_500))
            .withDropConnectionShare(0.004)
            .withGarbageShare(0.004)
            .withDuplicateAnswerShare(0.02);
    static final long ISSUER_TIMEOUT_MS = 1_000;
    private static final int TERMINALS = 18;
    private static final int KILLS = 4;

    /** Kept when the run fails: the node's log and the files it read explain what went wrong. */
    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void moneyIsConservedThroughIssuerFaultsAndSigkills() throws InterruptedException {
        SplittableRandom random = new SplittableRandom(20261126);
        try (ChaosWorld world = new ChaosWorld(dir, TERMINALS, 20, FAULTS, 7)) {
            Path config = world.nodeConfig(1, ISSUER_TIMEOUT_MS);
            try (SwitchProcess node = new SwitchProcess("node-1", config, dir.resolve("node-1.log"))) {
                node.start();
                Tally tally = new Tally();
                AtomicBoolean running = new AtomicBoolean(true);
                long hardDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
                List<Thread> threads = ChaosTerminal.startAgainst(node, world, TERMINALS, running::get, hardDeadline, tally, random);
                for (int kill = 0; kill < KILLS; kill++) {
                    letLoadRun(Duration.ofMillis(5_000 + random.nextInt(4_000)));
                    node.kill();
                    node.start();
                }
                letLoadRun(Duration.ofSeconds(6));
                running.set(false);
                world.calm();
                for (Thread thread : threads) {
                    thread.join(Duration.ofSeconds(120));
                }
                MoneyChecks.awaitNothingOwed(world);
                System.out.print(MoneyChecks.report(world, tally, List.of(node)));
                MoneyChecks.assertConserved(world, tally, config);
            }
        }
    }

    /** The traffic goes on for {@code duration} before the next event of the run's schedule. */
    static void letLoadRun(Duration duration) {
        CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(duration.toMillis(), TimeUnit.MILLISECONDS)).join();
    }
}
