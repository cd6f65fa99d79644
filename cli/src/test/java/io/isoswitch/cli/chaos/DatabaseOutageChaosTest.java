package io.isoswitch.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.security.KeyAlgorithm;
import io.isoswitch.security.KeyKind;
import io.isoswitch.security.LocalMasterKey;
import io.isoswitch.security.SecureKey;
import io.isoswitch.security.SoftwareHsm;
import io.isoswitch.sim.fault.FaultPlan;
import io.isoswitch.sim.fault.LatencyModel;
import io.isoswitch.sim.terminal.PosTerminal;
import io.isoswitch.sim.terminal.TerminalConfig;
import io.isoswitch.sim.terminal.TerminalResult;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The switch loses its database under load, and nobody restarts it. One switch process (on the
 * real PostgreSQL, reached through a {@link DatabaseLink} on loopback) carries the mixed traffic of
 * {@link ChaosTerminal}s of the three dialects while the issuers misbehave mildly, and:
 *
 * <ol>
 *   <li>every backend of the switch's sessions (found by the application name its JDBC URL sets,
 *       the run's schema; no other session of the server) is terminated with
 *       {@code pg_terminate_backend}, again and again for a while, {@value #KILL_ROUNDS} times;
 *   <li>once, the database is out of reach for some seconds: the link resets every connection and
 *       refuses new ones, as a host does during a failover, until enough requests were sent and
 *       answered within the outage to judge the answers by.
 * </ol>
 *
 * Then: requests sent and answered within the outage got 96 or 91 and nothing else (no approval
 * can be given without its write-ahead record; no terminal connection dropped, none left without
 * an answer); echo tests were answered 00 all along (the event loops were not held by the
 * journal); the same process approves again once the database is back; and once nothing is owed,
 * the money checks of {@link SwitchChaosTest} (every account debited exactly what its terminals
 * were told approved and did not reverse, nothing twice, every reversal delivered, {@code audit}
 * without difference), and no card's purchase counter below the purchases that stand.
 *
 * <p>Each phase lasts until the traffic has done what the assertions look for (bounded), not for a
 * set time; the assertions are about money and answers, not timing.
 */
class DatabaseOutageChaosTest {
    /** Mild issuer faults: the database is this run's subject; the issuers only add reversals to owe. */
    static final FaultPlan FAULTS = FaultPlan.none()
            .withLatency(new LatencyModel.Uniform(Duration.ZERO, Duration.ofMillis(15)))
            .withNoAnswerShare(0.01)
            .withDuplicateAnswerShare(0.01);
    private static final int TERMINALS = 12;
    private static final int KILL_ROUNDS = 3;
    /** Counted (so the counters can be checked) but never reached. */
    private static final int CARD_DAILY_PURCHASES = 1_000_000;
    /** Requests answered within the outage wanted before it ends, so its answers say something. */
    private static final int WITHIN_OUTAGE_WANTED = 8;
    private static final Duration PHASE_BOUND = Duration.ofSeconds(90);

    /** Kept when the run fails: the node's log and the files it read explain what went wrong. */
    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void moneyIsConservedAndTheSwitchRecoversByItselfWhenItsDatabaseGoesAway() throws InterruptedException {
        SplittableRandom random = new SplittableRandom(20261127);
        // one terminal more than the load's: it sends echo tests through the outage
        try (ChaosWorld world = new ChaosWorld(dir, TERMINALS + 1, 16, FAULTS, 13);
             DatabaseLink link = new DatabaseLink(5432)) {
            Path config = world.nodeConfig(1, SwitchChaosTest.ISSUER_TIMEOUT_MS, CARD_DAILY_PURCHASES,
                    world.jdbcUrlThrough(link.port()));
            try (SwitchProcess node = new SwitchProcess("node-1", config, dir.resolve("node-1.log"))) {
                node.start();
                Tally tally = new Tally();
                AtomicBoolean running = new AtomicBoolean(true);
                long hardDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
                List<Thread> threads = ChaosTerminal.startAgainst(node, world, TERMINALS, running::get, hardDeadline, tally, random);
                awaitApprovalsSince(world, Instant.EPOCH, "approvals before any fault");

                int terminated = 0;
                for (int round = 0; round < KILL_ROUNDS; round++) {
                    terminated += killBackendsFor(world, Duration.ofMillis(600 + random.nextInt(600)));
                    SwitchChaosTest.letLoadRun(Duration.ofMillis(1_000 + random.nextInt(1_000)));
                }

                ChaosWorld.ChaosTerminalKeys probeKeys = world.terminals().get(TERMINALS);
                List<String> echoes = new java.util.concurrent.CopyOnWriteArrayList<>();
                try (PosTerminal probe = PosTerminal.connect(probeConfig(probeKeys, node.awaitPort(probeKeys.listener())))) {
                    assertThat(probe.signOn().responseCode()).as("echo terminal's sign-on").isEqualTo("00");
                    link.cut();
                    tally.outageBegins();
                    long cutAt = System.nanoTime();
                    await("requests answered within the outage").atMost(PHASE_BOUND).pollInterval(Duration.ofMillis(200))
                            .until(() -> {
                                TerminalResult echo = probe.echo();
                                echoes.add(echo.outcome() == TerminalResult.Outcome.ANSWERED ? echo.responseCode()
                                        : echo.outcome().name());
                                return withinOutage(tally).values().stream().mapToLong(Long::longValue).sum() >= WITHIN_OUTAGE_WANTED
                                        && System.nanoTime() - cutAt > TimeUnit.SECONDS.toNanos(3);
                            });
                    tally.outageEnds();
                    link.restore();
                }
                // the same process approves again by itself: no restart
                awaitApprovalsSince(world, Instant.now(), "approvals after the database came back");
                running.set(false);
                world.calm();
                for (Thread thread : threads) {
                    thread.join(Duration.ofSeconds(120));
                }
                MoneyChecks.awaitNothingOwed(world);
                Map<String, Long> withinOutage = withinOutage(tally);
                System.out.print(MoneyChecks.report(world, tally, List.of(node)));
                System.out.printf("  %-34s %8d%n  database link: %s%n  echo tests within the outage: %s%n",
                        "switch backends terminated", terminated, link.figures(), echoes);
                System.out.println("  holds of pre-authorizations whose void was refused 12 after their completion was answered 96"
                        + " (known, not fixed): " + tally.heldAfterVoidRefusedAfterCompletion96 + "; of them, by completion shares never"
                        + " given back: " + heldByLeakedCompletionShares(world));
                MoneyChecks.assertConserved(world, tally, config, tally.heldAfterVoidRefusedAfterCompletion96);

                assertThat(terminated).as("switch backends terminated").isPositive();
                assertThat(withinOutage.keySet()).as("what requests sent and answered within the outage got")
                        .isNotEmpty().allMatch(what -> what.endsWith(" answered 96") || what.endsWith(" answered 91"));
                assertThat(echoes).as("echo tests within the outage").isNotEmpty().containsOnly("00");
                assertThat(node.starts()).as("switch process starts (never restarted)").isEqualTo(1);
                assertThat(node.alive()).isTrue();
                System.out.println("  card purchase counters: " + assertLimitCountersHoldWhatStands(world, node.log()));
            }
        }
    }

    /**
     * For the report: per account, the holds of approved pre-authorizations whose counter holds a
     * completion share of a request that does not stand (no journal record, or one not approved):
     * one cause of a void refused 12 after its completion was answered 96 (docs/end-to-end-tests.md).
     */
    private static Map<String, Long> heldByLeakedCompletionShares(ChaosWorld world) {
        java.util.Set<String> rrns = world.rows("""
                SELECT p.switch_rrn FROM journal p
                 WHERE p.transaction_type = 'PREAUTH' AND p.state = 'APPROVED'
                   AND EXISTS (SELECT 1 FROM limit_contribution c
                                WHERE c.key_kind = 'ORIGINAL' AND c.key_value = CAST(p.id AS VARCHAR)
                                  AND c.transaction_type = 'COMPLETION'
                                  AND NOT EXISTS (SELECT 1 FROM journal j WHERE c.contributor = j.terminal_id || '|' || j.stan
                                                   || '|' || CAST(j.transaction_date AS VARCHAR) || '|' || j.mti_class
                                                   AND j.state IN ('APPROVED', 'STAND_IN_APPROVED')))""")
                .lines().map(String::strip).filter(line -> !line.isEmpty()).collect(Collectors.toSet());
        Map<String, Long> held = new TreeMap<>();
        for (ChaosWorld.Bank bank : world.banks()) {
            List<io.isoswitch.sim.ledger.LedgerEntry> entries = bank.bank().snapshot().entries();
            java.util.Set<Long> released = entries.stream().filter(e -> e.kind() == io.isoswitch.sim.ledger.EntryKind.RELEASE)
                    .map(io.isoswitch.sim.ledger.LedgerEntry::holdEntryId).collect(Collectors.toSet());
            entries.stream().filter(e -> e.kind() == io.isoswitch.sim.ledger.EntryKind.HOLD && rrns.contains(e.reference().rrn())
                            && !released.contains(e.id()))
                    .forEach(e -> held.merge(e.accountId(), e.amountMinor(), Long::sum));
        }
        return held;
    }

    /** What the terminals' requests sent and answered within the outage got, and how many of each. */
    private static Map<String, Long> withinOutage(Tally tally) {
        return tally.counts.entrySet().stream().filter(e -> e.getKey().startsWith(ChaosTerminal.WITHIN_OUTAGE))
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().sum(), Long::sum, TreeMap::new));
    }

    /** Terminates the switch's backends every 50 ms for {@code duration}; how many in all. */
    private static int killBackendsFor(ChaosWorld world, Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        int terminated = 0;
        while (System.nanoTime() < end) {
            terminated += world.terminateSwitchBackends();
            SwitchChaosTest.letLoadRun(Duration.ofMillis(50));
        }
        return terminated;
    }

    private static void awaitApprovalsSince(ChaosWorld world, Instant since, String what) {
        await(what).atMost(PHASE_BOUND).pollInterval(Duration.ofMillis(250)).until(() -> world.count(
                "SELECT count(*) FROM journal WHERE transaction_type = 'PURCHASE' AND response_code = '00' AND created_at > '"
                        + since + "'") >= 5);
    }

    private static TerminalConfig probeConfig(ChaosWorld.ChaosTerminalKeys keys, int port) {
        SoftwareHsm hsm = new SoftwareHsm(LocalMasterKey.generate(new SecureRandom()));
        SecureKey tmk = hsm.formKey(KeyKind.TMK, KeyAlgorithm.TDES_2KEY, List.of(HexFormat.of().parseHex(keys.clearTmkHex())));
        return new TerminalConfig("127.0.0.1", port, keys.dialect(), keys.id(), ChaosWorld.MERCHANT_ID, ChaosWorld.CNY, hsm, tmk,
                Duration.ofSeconds(10), 2, Clock.systemUTC());
    }

    /**
     * Each card's daily purchase counter holds the purchases of that card that stand (approved, and
     * neither reversed nor voided): no card can go past its limit because a fault lost a count, and
     * none is refused for counts of purchases that did not happen. A count whose give-back failed
     * while the database was away is given back once it answers, as the journal decides: that of a
     * request not approved, and that of an approval its terminal reversed or voided (before, these
     * stayed taken for the rest of the day, 1 to 4 a run, each logged). A count may be too low only
     * where the node logged that it could not take one again; none may stay too high.
     */
    private static String assertLimitCountersHoldWhatStands(ChaosWorld world, Path log) {
        String perCard = """
                SELECT j.standing, coalesce(c.txn_count, 0) AS counted
                  FROM (SELECT p.pan_token, count(*) FILTER (WHERE p.state IN ('APPROVED', 'STAND_IN_APPROVED') AND NOT EXISTS (
                                 SELECT 1 FROM journal v WHERE v.original_id = p.id AND v.transaction_type = 'PURCHASE_VOID'
                                    AND v.state IN ('APPROVED', 'STAND_IN_APPROVED'))) AS standing
                          FROM journal p WHERE p.transaction_type = 'PURCHASE' GROUP BY p.pan_token) j
                  LEFT JOIN limit_counter c ON c.key_kind = 'CARD' AND c.transaction_type = 'PURCHASE'
                                           AND c.key_value = encode(j.pan_token, 'hex')""";
        String overSql = "SELECT coalesce(sum(counted - standing), 0) FROM (" + perCard + ") s WHERE counted > standing";
        try {
            // shares left to give back go at the node's next watch round (those of a record resolved in one, at the next)
            await("counts above what stands given back").atMost(PHASE_BOUND).pollInterval(Duration.ofMillis(500))
                    .until(() -> world.count(overSql) == 0);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // asserted below, with the shares named
        }
        long under = world.count("SELECT coalesce(sum(standing - counted), 0) FROM (" + perCard + ") s WHERE counted < standing");
        long over = world.count(overSql);
        long notTakenAgain = linesWith(log, "could not be taken again");
        String report = over + " count(s) above what stands, " + under + " below"
                + (over == 0 ? "" : "; the shares above, by their request (terminal|STAN|date|class) and its record:\n"
                + world.rows(SHARES_OF_REQUESTS_NOT_STANDING) + historyOfSharesAboveOrWhyNot(world, log));
        assertThat(under).as("purchases standing beyond their cards' counters (%d count(s) logged as not taken again)",
                notTakenAgain).isLessThanOrEqualTo(notTakenAgain);
        assertThat(over).as("counts above the purchases that stand (%d give-back(s) of undone approvals logged as failed): %s",
                linesWith(log, "an undone approval's limit counts ("), report).isZero();
        return report;
    }

    /**
     * For a failure's report: each share above, its request's records and those naming them (its
     * reversal, its void) and the node's log lines naming the request or its records, so that the
     * path that kept the share can be told from the report alone (the node's log is gone with CI's machine).
     */
    private static String historyOfSharesAboveOrWhyNot(ChaosWorld world, Path log) {
        try {
            return historyOfSharesAbove(world, log);
        } catch (RuntimeException e) {
            return "(no history: " + e + ")\n";
        }
    }

    private static String historyOfSharesAbove(ChaosWorld world, Path log) {
        StringBuilder history = new StringBuilder();
        for (String contributor : world.rows("SELECT c.contributor FROM (" + SHARES_OF_REQUESTS_NOT_STANDING + ") c").lines()
                .map(String::strip).filter(line -> !line.isEmpty()).toList()) {
            String[] key = contributor.split("\\|");
            String records = world.rows("""
                    SELECT j.id, j.transaction_type, j.mti_class, j.stan, j.state, j.response_code, j.original_id, j.created_at, j.updated_at
                      FROM journal j
                     WHERE (j.terminal_id = '%1$s' AND j.stan = '%2$s')
                        OR j.original_id IN (SELECT o.id FROM journal o WHERE o.terminal_id = '%1$s' AND o.stan = '%2$s')
                     ORDER BY j.created_at""".formatted(key[0], key[1]));
            List<String> names = new java.util.ArrayList<>(List.of("terminal=" + key[0] + ", stan=" + key[1]));
            records.lines().map(line -> line.strip().split(" \\| ")[0]).filter(id -> !id.isEmpty()).forEach(names::add);
            history.append("history of ").append(contributor).append(":\n").append(records);
            try (var lines = java.nio.file.Files.lines(log)) {
                lines.filter(line -> names.stream().anyMatch(line::contains)).limit(40)
                        .forEach(line -> history.append("    ").append(line, 0, Math.min(line.length(), 400)).append('\n'));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return history.toString();
    }

    private static long linesWith(Path log, String text) {
        try (var lines = java.nio.file.Files.lines(log)) {
            return lines.filter(line -> line.contains(text)).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Card purchase shares held by a request that does not stand (no record, not approved, or voided), for the report. */
    private static final String SHARES_OF_REQUESTS_NOT_STANDING = """
            SELECT c.contributor, coalesce(j.state, 'no record'), coalesce(j.response_code, '-'), c.created_at
              FROM limit_contribution c
              LEFT JOIN journal j ON c.contributor = j.terminal_id || '|' || j.stan || '|' || CAST(j.transaction_date AS VARCHAR)
                                                     || '|' || j.mti_class
             WHERE c.key_kind = 'CARD' AND c.transaction_type = 'PURCHASE'
               AND (j.id IS NULL OR j.state NOT IN ('APPROVED', 'STAND_IN_APPROVED') OR EXISTS (
                    SELECT 1 FROM journal v WHERE v.original_id = j.id AND v.transaction_type = 'PURCHASE_VOID'
                       AND v.state IN ('APPROVED', 'STAND_IN_APPROVED')))
             ORDER BY c.created_at""";
}
