package io.isoswitch.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.cli.Main;
import io.isoswitch.sim.card.IssuedCard;
import io.isoswitch.sim.fault.FaultKind;
import io.isoswitch.sim.ledger.AccountBalance;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The end of every chaos run: wait (bounded) until nothing is owed to an issuer any more, then
 * check that money was conserved, account by account, and that {@code audit} agrees.
 */
final class MoneyChecks {
    static final String OWED = """
            SELECT (SELECT count(*) FROM saf_queue WHERE state = 'PENDING')
                 + (SELECT count(*) FROM journal WHERE state IN ('SENT', 'REVERSAL_PENDING') AND transaction_type <> 'BALANCE_INQUIRY')""";

    private MoneyChecks() {
    }

    /** Waits until every queued reversal is delivered and no money-moving request is unresolved. */
    static void awaitNothingOwed(ChaosWorld world) {
        try {
            await("store-and-forward drained and nothing in flight").atMost(Duration.ofSeconds(150))
                    .pollInterval(Duration.ofMillis(500)).until(() -> world.count(OWED) == 0);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // say what is still owed, so that a failure names the records behind it
            throw new AssertionError(e.getMessage() + "\nstill queued:\n"
                    + world.rows("SELECT issuer_id, kind, state, attempts, next_attempt_at, last_error FROM saf_queue"
                            + " WHERE state = 'PENDING' ORDER BY issuer_id, id LIMIT 20")
                    + "unresolved journal records:\n"
                    + world.rows("SELECT node_id, issuer_id, transaction_type, state, switch_stan, switch_rrn, updated_at FROM journal"
                            + " WHERE state IN ('SENT', 'REVERSAL_PENDING') AND transaction_type <> 'BALANCE_INQUIRY'"
                            + " ORDER BY updated_at LIMIT 20"), e);
        }
    }

    /**
     * For every account, the issuer's debits equal exactly what terminals were told was approved
     * and did not reverse; nothing is held; the ledger replays; audit reports no difference.
     */
    static void assertConserved(ChaosWorld world, Tally tally, Path config) {
        assertConserved(world, tally, config, Map.of());
    }

    /**
     * As {@link #assertConserved(ChaosWorld, Tally, Path)}, where {@code heldExplained} names, per
     * account, the amount a known defect leaves held (reported by the caller), which is then the
     * held amount expected instead of 0.
     */
    static void assertConserved(ChaosWorld world, Tally tally, Path config, Map<String, Long> heldExplained) {
        String eventsFile = System.getProperty("chaos.eventsFile");
        if (eventsFile != null) {
            StringBuilder all = new StringBuilder("schema " + world.schema() + "\n");
            tally.events.forEach((account, lines) -> lines.forEach(line -> all.append(account).append(' ').append(line).append('\n')));
            world.write("terminal-events.txt", all.toString());
            try {
                java.nio.file.Files.writeString(Path.of(eventsFile), all);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        creditVoidsReversedTooLate(world, tally);
        List<String> wrong = new ArrayList<>();
        for (ChaosWorld.Bank bank : world.banks()) {
            assertThat(bank.bank().conservationViolations()).as(bank.id() + " ledger replays").isEmpty();
            for (IssuedCard card : bank.cards()) {
                AccountBalance balance = bank.bank().balance(card.account().accountId());
                long debited = balance.openingMinor() - balance.balanceMinor();
                long expected = tally.expected(card.account().accountId());
                long held = heldExplained.getOrDefault(card.account().accountId(), 0L);
                if (debited != expected || balance.heldMinor() != held) {
                    wrong.add(bank.id() + " " + card.account().accountId() + ": debited " + debited + ", terminals were told "
                            + expected + ", held " + balance.heldMinor() + " (" + held + " explained); what its terminals were told:\n  "
                            + String.join("\n  ", tally.events.getOrDefault(card.account().accountId(),
                                    new java.util.concurrent.ConcurrentLinkedQueue<>())));
                }
            }
        }
        // the audit runs first, so that its report names the requests behind any difference below
        AuditRun audit = audit(world, config);
        assertThat(tally.problems).as("what terminals saw that they must not").isEmpty();
        assertThat(wrong).as("accounts whose debits differ from what terminals were told; audit:\n" + audit.report()).isEmpty();
        assertThat(world.count("SELECT count(*) FROM journal WHERE state = 'REVERSAL_PENDING'")).isZero();
        // void-reversal exceptions (checked one by one above) are for operations to settle by hand: audit exits 3 for them alone
        long exceptions = world.count("SELECT count(*) FROM void_reversal_exception WHERE business_date = DATE '"
                + LocalDate.now(ZoneOffset.UTC) + "'");
        assertThat(audit.exit()).as("audit exit code; its report:\n" + audit.report()).isEqualTo(exceptions == 0 ? 0 : 3);
    }

    /**
     * A void whose terminal reversed it after the void's reversal had gone to the issuer: the issuer
     * credited the sale the terminal keeps, and the switch recorded the difference. Each recorded
     * one must be a void its terminal did reverse; it is what the account was credited.
     */
    private static void creditVoidsReversedTooLate(ChaosWorld world, Tally tally) {
        for (String line : world.rows("SELECT terminal_id, void_stan FROM void_reversal_exception").lines().toList()) {
            String[] columns = line.strip().split(" \\| ");
            var reversed = tally.voidsReversedByTerminal.get(columns[0] + "/" + columns[1]);
            if (reversed == null) {
                tally.problem("a void reversal exception for a void its terminal did not reverse: " + line.strip());
            } else {
                tally.expect(reversed.getKey(), -reversed.getValue());
                tally.count("voids reversed after their issuer reversal went (recorded)");
            }
        }
    }

    private record AuditRun(int exit, String report) {
    }

    private static AuditRun audit(ChaosWorld world, Path config) {
        Map<String, Path> ledgers = world.exportLedgers();
        List<String> args = new ArrayList<>(List.of("audit", "--date", LocalDate.now(ZoneOffset.UTC).toString(), "--config",
                config.toString()));
        ledgers.forEach((issuer, file) -> args.add("--issuer-ledger=" + issuer + "=" + file));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        int exit;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            exit = Main.run(args.toArray(String[]::new));
        } finally {
            System.setOut(previous);
        }
        String report = out.toString(StandardCharsets.UTF_8);
        System.out.print(report);
        return new AuditRun(exit, report);
    }

    /** The run's figures, for the test output. */
    static String report(ChaosWorld world, Tally tally, List<SwitchProcess> nodes) {
        Map<FaultKind, Long> faults = new EnumMap<>(FaultKind.class);
        for (ChaosWorld.Bank bank : world.banks()) {
            bank.faults().counters().snapshot().forEach((kind, n) -> faults.merge(kind, n, Long::sum));
        }
        StringBuilder text = new StringBuilder("chaos run figures:\n");
        text.append(tally.report());
        text.append(String.format("  %-34s %8d%n", "journal records", world.count("SELECT count(*) FROM journal")));
        text.append(String.format("  %-34s %8d%n", "purchases 91 never sent (no route up)", world.count(
                "SELECT count(*) FROM journal WHERE transaction_type = 'PURCHASE' AND response_code = '91' AND switch_stan IS NULL")));
        text.append(String.format("  %-34s %8d%n", "purchases sent, never answered", world.count(
                "SELECT count(*) FROM journal WHERE transaction_type = 'PURCHASE' AND switch_stan IS NOT NULL AND response_code IS NULL")));
        text.append(String.format("  %-34s %8d%n", "issuer reversals delivered (SAF)",
                world.count("SELECT count(*) FROM saf_queue WHERE state = 'DONE' AND kind = 'REVERSAL'")));
        text.append(String.format("  %-34s %8d%n", "SAF delivery attempts", world.count("SELECT count(*) FROM saf_attempt")));
        text.append(String.format("  %-34s %8d%n", "journal records REVERSED",
                world.count("SELECT count(*) FROM journal WHERE state = 'REVERSED'")));
        faults.forEach((kind, n) -> text.append(String.format("  %-34s %8d%n", "faults injected " + kind, n)));
        for (SwitchProcess node : nodes) {
            text.append(String.format("  %-34s %8d (started %d times)%n", node.name() + " SIGKILLs", node.kills(), node.starts()));
            outages(world, node, text);
        }
        return text.toString();
    }

    private static final java.util.regex.Pattern BREAKER_CLOSED = java.util.regex.Pattern.compile("breaker closed.* it was open (\\d+) ms");
    private static final java.util.regex.Pattern LINK_UP_AGAIN = java.util.regex.Pattern.compile("link up again .* after (\\d+) ms down");

    /**
     * How long each issuer was out of reach as the node saw it (its breaker open, its link down),
     * from the node's log, and how many purchases were answered 91 without being sent in the first
     * seconds after a start (terminals dial in while the links sign on) and at other times.
     */
    private static void outages(ChaosWorld world, SwitchProcess node, StringBuilder text) {
        long breakerOpened = 0;
        long breakerOpenMs = 0;
        long probesFailed = 0;
        long linkDowns = 0;
        long linkDownMs = 0;
        try {
            for (String line : java.nio.file.Files.readAllLines(node.log())) {
                java.util.regex.Matcher closed = BREAKER_CLOSED.matcher(line);
                java.util.regex.Matcher upAgain = LINK_UP_AGAIN.matcher(line);
                if (line.contains("breaker open for")) {
                    breakerOpened++;
                } else if (closed.find()) {
                    breakerOpenMs += Long.parseLong(closed.group(1));
                } else if (line.contains("breaker probe failed")) {
                    probesFailed++;
                } else if (line.contains("link down")) {
                    linkDowns++;
                } else if (upAgain.find()) {
                    linkDownMs += Long.parseLong(upAgain.group(1));
                }
            }
        } catch (java.io.IOException e) {
            text.append("  (node log unreadable: ").append(e.getMessage()).append(")\n");
            return;
        }
        text.append(String.format("  %-34s %8d (closed again after %d ms in all, %d probes failed)%n",
                node.name() + " breaker openings", breakerOpened, breakerOpenMs, probesFailed));
        text.append(String.format("  %-34s %8d (up again after %d ms in all)%n", node.name() + " issuer links down", linkDowns, linkDownMs));
        long afterStarts = 0;
        for (java.time.Instant start : node.servingSince()) {
            afterStarts += world.count("SELECT count(*) FROM journal WHERE transaction_type = 'PURCHASE' AND response_code = '91'"
                    + " AND switch_stan IS NULL AND created_at BETWEEN '" + start.minusSeconds(1) + "' AND '" + start.plusSeconds(5) + "'");
        }
        text.append(String.format("  %-34s %8d%n", node.name() + " 91 unsent within 5 s of a start", afterStarts));
    }
}
