package io.isoswitch.cli;

import io.isoswitch.core.config.SwitchConfig;
import io.isoswitch.core.config.SwitchConfigLoader;
import io.isoswitch.core.day.FeePlanFile;
import io.isoswitch.settlement.JournalException;
import io.isoswitch.settlement.clearing.MerchantSettlement;
import io.isoswitch.settlement.clearing.MerchantTotals;
import io.isoswitch.settlement.clearing.SettlementException;
import io.isoswitch.settlement.clearing.SettlementFiles;
import io.isoswitch.settlement.clearing.SettlementProgress;
import io.isoswitch.settlement.clearing.SettlementReport;
import io.isoswitch.settlement.db.JournalDatabase;
import io.isoswitch.settlement.fees.FeePlanRepository;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code iso-switch settle --date D}: settles a closed business date (merchant totals in the
 * database) and writes its merchant reports and issuer clearing files. Safe to re-run: a settled
 * date is reported again as it was, and its files are written again identically.
 */
@Command(name = "settle", mixinStandardHelpOptions = true,
        description = {"Settle a closed business date: merchant totals, merchant reports, issuer clearing files.",
            "Exit codes: 0 settled (or settled before: same report), 3 the date cannot be settled yet"
                    + " (still open or not begun, an earlier date with transactions not settled yet, or a later date"
                    + " settled or begun already), 1 the database failed, 2 a wrong option."})
final class SettleCommand implements Callable<Integer> {
    static final int NOT_SETTLEABLE = 3;

    @Spec
    private CommandSpec spec;

    @Option(names = "--date", required = true, paramLabel = "YYYY-MM-DD", description = "The business date to settle.")
    private LocalDate date;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration (the journal database; fee plans file).")
    private Path config;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "settlement",
            description = "Where files go, under DIR/<date>/ (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        SwitchConfig switchConfig = SwitchConfigLoader.load(config);
        long started = System.nanoTime();
        SettlementProgress progress = (step, count) -> {
            stderr.printf("settle %s: %s%s (%.1f s)%n", date, step, count >= 0 ? " " + count : "",
                    (System.nanoTime() - started) / 1e9);
            stderr.flush();
        };
        try (JournalDatabase database = JournalDatabase.open(switchConfig.journal().toDatabaseConfig())) {
            if (switchConfig.settlement().feePlansFile() != null) {
                new FeePlanRepository(database, Clock.systemUTC()).replace(FeePlanFile.read(Path.of(switchConfig.settlement().feePlansFile())));
            }
            SettlementReport report = new MerchantSettlement(database, Clock.systemUTC()).settle(date, progress);
            List<Path> files = new SettlementFiles(database).write(date, out, progress,
                    switchConfig.issuers().stream().map(issuer -> issuer.issuerId()).toList());
            print(stdout, report, files);
            return 0;
        } catch (SettlementException e) {
            stderr.println("iso-switch settle: " + e.getMessage());
            return NOT_SETTLEABLE;
        } catch (JournalException e) {
            stderr.println("iso-switch settle: " + e.getMessage());
            return 1;
        }
    }

    private void print(PrintWriter stdout, SettlementReport report, List<Path> files) {
        stdout.printf("business date %s %s: %d journal rows (%d corrections from earlier dates), %d merchant totals, %d files in %s%n",
                report.settlementDate(), report.alreadySettled() ? "was settled before (nothing changed)" : "settled",
                report.transactions(), report.corrections(), report.merchants().size(), files.size(),
                out.resolve(report.settlementDate().toString()));
        stdout.println("merchant,currency,sales_count,sales_minor,refund_count,refund_minor,fee_minor,net_minor");
        for (MerchantTotals m : report.merchants()) {
            stdout.printf("%s,%s,%d,%d,%d,%d,%d,%d%n", m.merchantId(), m.currency(), m.salesCount(), m.salesMinor(),
                    m.refundCount(), m.refundMinor(), m.feeMinor(), m.netMinor());
        }
        stdout.flush();
    }
}
