package io.isoswitch.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two switch processes on different ports sharing one PostgreSQL database, as behind a TCP load
 * balancer: terminals are spread over both and every so often redial and land on the other node,
 * where their next request is a repeat of their last (answered from the shared journal). Both
 * issuers misbehave as in {@link SwitchChaosTest}. Mid-load node-1 is killed with SIGKILL and
 * stays dead: its terminals go to node-2, which carries on and, once node-1's lease in
 * {@code switch_node} has expired, takes it over: the requests node-1 left at the issuers get
 * their reversals (whether or not their terminals reverse them) and the store-and-forward entries
 * it held are freed. Afterwards the same money checks and audit as the
 * single-node chaos run pass, every queued reversal was acknowledged exactly once, and a card's
 * daily purchase count limit held over both nodes together.
 *
 * <p>Each phase lasts until the traffic has done what the assertions look for (node-1 served, a
 * repeat crossed nodes, a card reached its limit), not for a time: on a loaded machine it simply
 * takes longer.
 */
class TwoNodesOneDatabaseTest {
    private static final int TERMINALS = 12;
    /** Low enough that busy cards reach it, so both nodes must count against one counter. */
    private static final int CARD_DAILY_PURCHASES = 60;

    /**
     * How long each phase of the load may take to reach its condition: never on a machine that
     * works, however loaded; only a switch that cannot get there ends a phase this way.
     */
    private static final Duration PHASE_BOUND = Duration.ofMinutes(4);
    private static final String LIMIT_REACHED =
            "SELECT count(*) FROM journal WHERE transaction_type = 'PURCHASE' AND response_code = '65'";
    private static final String CARDS_APPROVED_BY_BOTH = """
            SELECT count(*) FROM (SELECT pan_token FROM journal WHERE transaction_type = 'PURCHASE' AND response_code = '00'
             GROUP BY pan_token HAVING count(DISTINCT node_id) = 2) both_nodes""";

    @TempDir
    Path dir;

    @Test
    void twoNodesShareTheLoadAndOneCarriesOnWhenTheOtherIsKilled() throws InterruptedException {
        SplittableRandom random = new SplittableRandom(90210);
        try (ChaosWorld world = new ChaosWorld(dir, TERMINALS, 16, SwitchChaosTest.FAULTS, 11)) {
            Path config1 = world.nodeConfig(1, SwitchChaosTest.ISSUER_TIMEOUT_MS, CARD_DAILY_PURCHASES);
            Path config2 = world.nodeConfig(2, SwitchChaosTest.ISSUER_TIMEOUT_MS, CARD_DAILY_PURCHASES);
            try (SwitchProcess node1 = new SwitchProcess("node-1", config1, dir.resolve("node-1.log"));
                 SwitchProcess node2 = new SwitchProcess("node-2", config2, dir.resolve("node-2.log"))) {
                node1.start();
                node2.start();
                List<SwitchProcess> nodes = List.of(node1, node2);
                Tally tally = new Tally();
                AtomicBoolean running = new AtomicBoolean(true);
                // terminals give up delivering their last reversals only well after both phases' bounds
                long hardDeadline = System.nanoTime() + PHASE_BOUND.multipliedBy(2).plusSeconds(300).toNanos();
                List<Thread> threads = new ArrayList<>();
                for (int i = 0; i < TERMINALS; i++) {
                    ChaosTerminal terminal = new ChaosTerminal(world.terminals().get(i), world.banks(), balancer(nodes, i, world.terminals().get(i).listener()),
                            running::get, hardDeadline, tally, random.nextLong(), 20 + random.nextInt(20));
                    threads.add(Thread.ofVirtual().name("terminal-" + i).start(terminal));
                }
                // the load goes on until it has done what the assertions below look for, however slow the machine
                letLoadRunUntil("both nodes serve: node-1 approved purchases, a repeat was answered after a move to the"
                        + " other node, a card was approved by both nodes", () -> world.count(approvedBy("node-1")) > 0
                        && tally.count("repeats answered by another node", true) > 0 && world.count(CARDS_APPROVED_BY_BOTH) > 0);
                node1.kill();
                long node2Before = world.count(approvedBy("node-2"));
                letLoadRunUntil("node-2 alone approves purchases and a card reached its daily count limit",
                        () -> world.count(approvedBy("node-2")) > node2Before && world.count(LIMIT_REACHED) > 0);
                running.set(false);
                world.calm();
                for (Thread thread : threads) {
                    thread.join(Duration.ofSeconds(120));
                }
                // node-1's lease (15 s) runs out after the kill however soon the load met its conditions:
                // node-2 takes it over then, resolving what node-1 left SENT, before the money is counted
                await().atMost(PHASE_BOUND).pollInterval(Duration.ofMillis(500)).until(() ->
                        world.rows("SELECT taken_over_by FROM switch_node WHERE node_id = 'node-1'").strip().equals("node-2"));
                MoneyChecks.awaitNothingOwed(world);
                System.out.print(MoneyChecks.report(world, tally, nodes));
                MoneyChecks.assertConserved(world, tally, config2);
                assertThat(world.count("SELECT count(DISTINCT node_id) FROM journal")).as("both nodes took traffic").isEqualTo(2);
                assertThat(tally.count("repeats answered by another node", true)).isPositive();
                assertThat(world.count("""
                        SELECT count(*) FROM (SELECT saf_id FROM saf_attempt WHERE outcome = 'ACKNOWLEDGED'
                                               GROUP BY saf_id HAVING count(*) > 1) twice""")).as("reversals acknowledged twice").isZero();
                assertThat(node2.alive()).isTrue();
                // node-1's lease expired: node-2 took it over (once), resolving what it left SENT
                assertThat(world.rows("SELECT taken_over_by FROM switch_node WHERE node_id = 'node-1'").strip())
                        .as("who took the dead node over").isEqualTo("node-2");
                assertThat(world.count("SELECT count(*) FROM journal WHERE node_id = 'node-1' AND state = 'SENT'")).isZero();
                // limits: one counter per card across both nodes
                assertThat(world.count(LIMIT_REACHED)).as("the daily count limit was reached").isPositive();
                // a purchase reversed or voided gives its count back, so the limit bounds the purchases
                // that stand; one whose void its terminal reversed stands again and counts again beyond it
                assertThat(world.count("""
                        SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM journal p
                         WHERE p.transaction_type = 'PURCHASE' AND p.state IN ('APPROVED', 'STAND_IN_APPROVED')
                           AND NOT EXISTS (SELECT 1 FROM journal v WHERE v.original_id = p.id
                                            AND v.transaction_type = 'PURCHASE_VOID' AND v.state = 'REVERSED')
                         GROUP BY p.pan_token) per_card"""))
                        .as("standing purchases of the busiest card, over both nodes").isLessThanOrEqualTo(CARD_DAILY_PURCHASES);
                assertThat(world.count(CARDS_APPROVED_BY_BOTH)).as("cards approved by both nodes").isPositive();
            }
        }
    }

    private static String approvedBy(String node) {
        return "SELECT count(*) FROM journal WHERE transaction_type = 'PURCHASE' AND response_code = '00' AND node_id = '"
                + node + "'";
    }

    /** The terminals' traffic goes on until {@code done}, polled; a phase that cannot get there fails the test. */
    private static void letLoadRunUntil(String what, BooleanSupplier done) {
        await(what).atMost(PHASE_BOUND).pollInterval(Duration.ofMillis(250)).until(done::getAsBoolean);
    }

    /**
     * A TCP load balancer in front of the nodes: each connection goes to the next live node in
     * turn (starting at the terminal's own), waiting only when none is serving.
     */
    private static IntSupplier balancer(List<SwitchProcess> nodes, int terminal, int listener) {
        AtomicInteger turn = new AtomicInteger(terminal);
        return () -> {
            for (int tries = 0; tries < nodes.size(); tries++) {
                java.util.OptionalInt port = nodes.get(Math.floorMod(turn.getAndIncrement(), nodes.size())).portNow(listener);
                if (port.isPresent()) {
                    return port.getAsInt();
                }
            }
            return nodes.get(nodes.size() - 1).awaitPort(listener);
        };
    }
}
