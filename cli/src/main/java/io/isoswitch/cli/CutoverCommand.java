package io.isoswitch.cli;

import io.isoswitch.core.config.SwitchConfig;
import io.isoswitch.core.config.SwitchConfigLoader;
import io.isoswitch.core.day.BusinessDays;
import io.isoswitch.settlement.JournalException;
import io.isoswitch.settlement.calendar.BusinessCalendar;
import io.isoswitch.settlement.calendar.CutoverResult;
import io.isoswitch.settlement.db.JournalDatabase;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code iso-switch cutover}: moves the shared business date on. Without {@code --from} it does
 * what the running nodes do at the configured cutover time, if that time has passed (nothing
 * otherwise); with {@code --from D} it closes D now, ahead of time. Either way, running it again
 * changes nothing.
 */
@Command(name = "cutover", mixinStandardHelpOptions = true,
        description = {"Move the business date on (every node sharing the database follows within a second).",
            "Exit codes: 0 done or nothing to do, 3 refused (--from names a date that has not begun, or one after the scheduled"
                    + " business date now), 1 the database failed,"
                    + " 2 a wrong option."})
final class CutoverCommand implements Callable<Integer> {
    static final int REFUSED = 3;

    @Spec
    private CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration (journal, businessZone, settlement.cutoverTime).")
    private Path config;

    @Option(names = "--from", paramLabel = "YYYY-MM-DD",
            description = "Close this business date now, before its scheduled cutover; nothing if already closed.")
    private LocalDate from;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        SwitchConfig switchConfig = SwitchConfigLoader.load(config);
        try (JournalDatabase database = JournalDatabase.open(switchConfig.journal().toDatabaseConfig())) {
            BusinessCalendar calendar = new BusinessCalendar(database, Clock.systemUTC());
            CutoverResult result = from == null
                    ? calendar.closeIfDue(BusinessDays.schedule(switchConfig), "command")
                    : calendar.closeEarly(from, "command", BusinessDays.schedule(switchConfig));
            stdout.println(result.applied()
                    ? "cut over: the business date is now " + result.businessDate()
                    : "nothing to do: the business date is " + result.businessDate()
                            + (from == null ? " (its cutover is not due; --from " + result.businessDate() + " closes it now)" : ""));
            stdout.flush();
            return 0;
        } catch (IllegalArgumentException e) {
            stderr.println("iso-switch cutover: " + e.getMessage());
            return REFUSED;
        } catch (JournalException e) {
            stderr.println("iso-switch cutover: " + e.getMessage());
            return 1;
        }
    }
}
