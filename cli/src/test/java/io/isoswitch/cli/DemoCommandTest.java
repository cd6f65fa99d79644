package io.isoswitch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, on free ports: the demo runs its load through the switch and stops by itself. */
class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void theDemoApprovesTrafficFromEveryDialectAndKeepsTheLedgersWhole() throws Exception {
        // --duration alone (the default load is 10 s): the load is cut to the duration, as "in all" says
        String text = runAndCheck("--duration", "3");
        assertThat(text).contains("driving 3 s of mixed load");
    }

    @Test
    void aSecondRunInTheSameFolderIsNotAnsweredFromTheFirstRunsJournal() throws Exception {
        String first = runAndCheck();
        // the journal is kept: were the terminals to count their STANs from 1 again, every request
        // would be a repeat and the issuers would see nothing new
        String second = runAndCheck();
        assertThat(ledgerEntries(second) - ledgerEntries(first)).isGreaterThanOrEqualTo(approved(second) / 2);
    }

    /**
     * A person who stops or kills the demo and starts it again (the README's first command, twice)
     * finds the switch and the banks where they were: the banks take up their ledgers, the journal
     * is kept, and the audit the second run prints covers both runs with no difference. --fresh
     * starts empty again.
     */
    @Test
    void aSecondRunGoesOnFromTheBooksOfTheFirstAndItsAuditCoversBoth() throws Exception {
        String first = runAndCheck("--load-seconds", "2", "--duration", "2");
        assertThat(first).doesNotContain("went on from");

        String second = runAndCheck("--load-seconds", "2", "--duration", "2");

        assertThat(second).contains("went on from the journal and the banks' ledgers");
        assertThat(Files.readString(dir.resolve("ledgers/bank-a-entries.csv"))).startsWith("id,");
        Matcher command = Pattern.compile("(?m)^  \\./iso-switch (audit .+)$").matcher(second);
        assertThat(command.find()).as("an audit command in:%n%s", second).isTrue();
        CommandRun audit = CommandRun.ofMain(command.group(1).split(" "));
        assertThat(audit.exitCode()).as(audit.out() + audit.err()).isZero();
        assertThat(audit.out()).contains(ledgerEntries(second) + " ledger entries, 0 difference(s)");
        // the credentials show what each card can spend now, not its opening balance: a card the
        // first run used shows less (a card it did not use still shows the opening balance)
        assertThat(Files.readString(dir.resolve("demo-credentials.txt"))).containsPattern("balance (?!100000\\.00\\n)\\d+\\.\\d{2}\\n");
        String fresh = runAndCheck("--load-seconds", "2", "--duration", "2", "--fresh");
        assertThat(fresh).doesNotContain("went on from");
        assertThat(ledgerEntries(fresh)).isLessThan(ledgerEntries(second));
    }

    /**
     * Regression: with --journal-url the kept journal is not the demo's to delete, and a second run
     * was answered from it (thousands of 00 answers, no ledger entry at either bank). It now stops
     * before starting and says why.
     */
    @Test
    void aSecondRunOnAKeptJournalUrlStopsAndSaysWhyInsteadOfReplayingTheFirst() throws Exception {
        String url = "jdbc:h2:mem:demo-kept-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
        runAndCheck("--load-seconds", "2", "--duration", "2", "--journal-url", url);
        CommandRun second = CommandRun.ofMain("demo", "--data", dir.toString(), "--port-base", "0",
                "--terminals-per-dialect", "1", "--load-seconds", "2", "--duration", "2", "--journal-url", url);
        assertThat(second.exitCode()).as(second.out()).isEqualTo(1);
        assertThat(second.err()).contains("records of an earlier run").contains("--journal-schema");
    }

    /**
     * Regression: the banks live in the demo's process and their ledgers went with it, so a person who
     * drove the demo with their own client (as the README invites) could not run {@code iso-switch
     * audit} on what they did. The stopped demo now leaves each bank's ledger and its journal's
     * settings, and prints the audit command, which finds journal and ledgers in agreement.
     */
    @Test
    void aStoppedDemoPrintsAnAuditCommandThatFindsTheJournalAndTheLedgersInAgreement() throws Exception {
        String text = runAndCheck("--load-seconds", "2", "--duration", "3");
        Matcher command = Pattern.compile("(?m)^  \\./iso-switch (audit .+)$").matcher(text);
        assertThat(command.find()).as("an audit command in:%n%s", text).isTrue();
        CommandRun audit = CommandRun.ofMain(command.group(1).split(" "));
        assertThat(audit.exitCode()).as(audit.out() + audit.err()).isZero();
        assertThat(audit.out()).containsPattern("audit \\d{4}-\\d{2}-\\d{2}: 2 issuer\\(s\\), [1-9]\\d* ledger entries, 0 difference\\(s\\)");
        // the ledger names accounts by id: no card number leaves the demo that way
        assertThat(Files.readString(dir.resolve("audit/bank-a-entries.csv"))).startsWith("id,").doesNotContainPattern("622202\\d{10}");
    }

    private static long approved(String text) {
        Matcher approved = Pattern.compile("(?m)^\\s+00\\s+([\\d,]+)$").matcher(text);
        assertThat(approved.find()).isTrue();
        return Long.parseLong(approved.group(1).replace(",", ""));
    }

    private static long ledgerEntries(String text) {
        Matcher entries = Pattern.compile("ledger: (\\d+) entries").matcher(text);
        long sum = 0;
        while (entries.find()) {
            sum += Long.parseLong(entries.group(1));
        }
        return sum;
    }

    private String runAndCheck() throws Exception {
        return runAndCheck("--load-seconds", "3", "--duration", "3");
    }

    private String runAndCheck(String... times) throws Exception {
        List<String> args = new ArrayList<>(List.of("demo", "--data", dir.toString(),
                "--port-base", "0", "--terminals-per-dialect", "1"));
        args.addAll(List.of(times));
        CommandRun run = CommandRun.ofMain(args.toArray(String[]::new));
        String text = run.out();
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(approved(text)).as("approvals in:%n%s", text).isPositive();
        assertThat(text).doesNotContain("MAC_FAILED").doesNotContain("error:");
        // no dialect's requests are refused as malformed (iso87ascii once was: its MAC went in raw, not as hex)
        assertThat(text).doesNotContainPattern("(?m)^\\s+30\\s+[\\d,]+$");
        // refunds name an approved purchase (field 37): the switch refuses those without one with 25
        assertThat(text).as("response codes in:%n%s", text).doesNotContainPattern("(?m)^\\s+25\\s+[\\d,]+$");
        assertThat(text).containsPattern("bank-a ledger: \\d+ entries; every balance = opening \\+ entries")
                .containsPattern("bank-b ledger: \\d+ entries; every balance = opening \\+ entries");
        assertThat(Files.readString(dir.resolve("demo-credentials.txt"))).contains("DEMO0001").contains("PIN");
        return text;
    }
}
