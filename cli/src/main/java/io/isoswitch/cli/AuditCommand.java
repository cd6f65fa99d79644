package io.isoswitch.cli;

import io.isoswitch.core.config.SwitchConfigLoader;
import io.isoswitch.settlement.audit.AuditDifference;
import io.isoswitch.settlement.audit.ClearingFile;
import io.isoswitch.settlement.audit.JournalAudit;
import io.isoswitch.settlement.db.JournalDatabase;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code iso-switch audit}: the money-conservation check. Compares the journal of one business
 * date (every node's records, in the database the configuration names) with each issuer's
 * bookings and prints every difference, one per line; exit code 0 when there is none, 1 when
 * there is any, 2 when the input cannot be read (a ledger file, or the journal database: nothing
 * was audited, which a script must not take for differences), 3 when journal and ledgers agree
 * but the date has void-reversal exceptions ({@code VOID_REVERSED_AFTER_SENT}): voids a terminal
 * reversed after the switch had sent the void's reversal to the issuer. The issuer credited such a
 * sale and settlement follows it, so journal, ledger and settlement agree while the merchant's
 * terminal keeps the sale: an exception to settle with the merchant by hand, which a script
 * checking the exit code must not take for a clean day.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = {"Compare the journal of a business date with issuers' ledgers; exit 1 on any difference.",
                "Exit codes: 0 no difference, 1 differences (or an issuer without a ledger), 2 a ledger or the journal"
                        + " database could not be read (nothing audited), 3 no difference but void-reversal exceptions to"
                        + " handle by hand (the issuer credited a sale its terminal keeps; settlement does not pay it)."})
final class AuditCommand implements Callable<Integer> {
    /** Journal and ledgers agree, but void-reversal exceptions are to be handled by hand. */
    static final int EXCEPTIONS_TO_HANDLE = 3;

    @Spec
    private CommandSpec spec;

    @Option(names = "--date", required = true, paramLabel = "YYYY-MM-DD", description = "The business date to audit.")
    private LocalDate date;

    @Option(names = "--config", paramLabel = "FILE", description = "The switch's YAML configuration (for its journal database).")
    private Path config;

    @Option(names = "--issuer-ledger", required = true, paramLabel = "ISSUER=FILE",
            description = "An issuer's bookings as CSV (id,kind,amount,currency,rrn[,stan][,reverses][,hold]; the issuer "
                    + "simulator's entries export is this format). Repeat per issuer.")
    private Map<String, Path> ledgers;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<AuditDifference> differences = new ArrayList<>();
        List<io.isoswitch.settlement.journal.VoidReversals.Difference> voidExceptions;
        int entries = 0;
        Map<String, Long> unaudited = new java.util.TreeMap<>();
        // the audit reads a whole day in one query: it waits as long as that takes, unlike the switch
        try (JournalDatabase database = JournalDatabase.open(
                SwitchConfigLoader.load(config).journal().toDatabaseConfig().withNetworkTimeoutMs(0))) {
            JournalAudit audit = new JournalAudit(database);
            for (Map.Entry<String, Path> ledger : ledgers.entrySet()) {
                var read = ClearingFile.read(ledger.getValue());
                entries += read.size();
                differences.addAll(audit.compare(date, ledger.getKey(), read).join());
            }
            // an issuer the journal sent requests to but whose ledger was not given would pass unchecked
            audit.issuers(date).join().forEach((issuer, records) -> {
                if (!ledgers.containsKey(issuer)) {
                    unaudited.put(issuer, records);
                }
            });
            voidExceptions = new io.isoswitch.settlement.journal.VoidReversals(database, java.time.Clock.systemUTC())
                    .exceptions(date).join();
        } catch (ClearingFile.ClearingFileException | java.io.UncheckedIOException e) {
            // with its causes: "cannot read x.csv" alone does not say whether it is missing or unreadable
            spec.commandLine().getErr().println("iso-switch audit: nothing audited: " + ErrorReport.describe(e));
            return 2;
        } catch (RuntimeException e) {
            // the journal could not be read: nothing was audited, which must not look like differences (1)
            io.isoswitch.settlement.JournalException journal = journalFailure(e);
            if (journal == null) {
                throw e;
            }
            spec.commandLine().getErr().println("iso-switch audit: nothing audited: " + ErrorReport.describe(journal));
            return 2;
        }
        differences.forEach(d -> out.println(d.describe()));
        // journal and issuer agree on these (the sale was credited); the terminal reversed its void too late
        voidExceptions.forEach(e -> out.printf("VOID_REVERSED_AFTER_SENT issuer=%s terminal=%s void-stan=%s amount %d %s:"
                + " the issuer credited a sale the terminal keeps%n", e.issuerId(), e.terminalId(), e.voidStan(), e.amountMinor(),
                e.currency()));
        if (!voidExceptions.isEmpty()) {
            out.printf("%d void(s) reversed by their terminal after the issuer was told: exceptions for operations to handle"
                    + " by hand (the issuer credited these sales and settlement does not pay them, while their terminals keep them)%n", voidExceptions.size());
        }
        unaudited.forEach((issuer, records) -> out.printf("NO_LEDGER issuer=%s: %d journal record(s) of %s not audited"
                + " (give --issuer-ledger %s=FILE)%n", issuer, records, date, issuer));
        out.printf("audit %s: %d issuer(s), %d ledger entries, %d difference(s)%s%s%n", date, ledgers.size(), entries,
                differences.size(), unaudited.isEmpty() ? "" : ", " + unaudited.size() + " issuer(s) without a ledger",
                voidExceptions.isEmpty() ? "" : ", " + voidExceptions.size() + " void-reversal exception(s)");
        out.flush();
        if (!differences.isEmpty() || !unaudited.isEmpty()) {
            return 1;
        }
        return voidExceptions.isEmpty() ? 0 : EXCEPTIONS_TO_HANDLE;
    }

    private static io.isoswitch.settlement.JournalException journalFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof io.isoswitch.settlement.JournalException journal) {
                return journal;
            }
        }
        return null;
    }
}
