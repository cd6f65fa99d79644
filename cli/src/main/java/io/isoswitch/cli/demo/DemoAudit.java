package io.isoswitch.cli.demo;

import io.isoswitch.core.config.JournalConfig;
import io.isoswitch.sim.ledger.LedgerExport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code iso-switch audit} needs to check a demo run, written when the demo stops: each bank's
 * ledger as the CSV {@code --issuer-ledger} reads, and a configuration naming the run's journal.
 * The banks live in the demo's process, so without this a person who drove the demo with their own
 * client had no way to compare the journal with the issuers' bookings. Written after the switch
 * has stopped (nothing more reaches a bank or the journal), so ledger and journal are of one moment;
 * the audit runs after the demo has exited, since the embedded H2 journal is one process's at a time.
 *
 * <pre>
 * DIR/audit/journal.yaml          journal: {url, user, schema} of the run (no password: the demo has none)
 * DIR/audit/bank-a-entries.csv    the ledger entries of each bank (no card data: accounts by id)
 * </pre>
 */
public final class DemoAudit {
    public static final String FOLDER = "audit";

    private DemoAudit() {
    }

    /**
     * Writes the files under {@code dataDir}/audit and returns the audit command, one line per
     * business date from {@code firstDate} to {@code lastDate} (the demo's business day is the UTC date).
     */
    public static List<String> write(DemoWorld world, Path dataDir, LocalDate firstDate, LocalDate lastDate) {
        Path folder = dataDir.resolve(FOLDER);
        try {
            Files.createDirectories(folder);
            Path config = folder.resolve("journal.yaml");
            Files.writeString(config, journalYaml(world.config().journal()), StandardCharsets.UTF_8);
            StringBuilder ledgers = new StringBuilder();
            for (DemoWorld.Bank bank : world.banks()) {
                Path file = folder.resolve(bank.id() + "-entries.csv");
                try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                    LedgerExport.writeEntries(bank.bank().snapshot().entries(), out);
                }
                ledgers.append(" --issuer-ledger ").append(bank.id()).append('=').append(file);
            }
            List<String> commands = new ArrayList<>();
            for (LocalDate date = firstDate; !date.isAfter(lastDate); date = date.plusDays(1)) {
                commands.add("./iso-switch audit --date " + date + " --config " + config + ledgers);
            }
            return commands;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo's audit files under " + folder, e);
        }
    }

    /** The journal keys of a switch configuration, enough for {@code audit --config}. */
    static String journalYaml(JournalConfig journal) {
        StringBuilder yaml = new StringBuilder("# the journal of the last demo run, for ./iso-switch audit --config\njournal:\n");
        yaml.append("  url: ").append(quoted(journal.url())).append('\n');
        if (journal.user() != null) {
            yaml.append("  user: ").append(quoted(journal.user())).append('\n');
        }
        if (journal.schema() != null) {
            yaml.append("  schema: ").append(quoted(journal.schema())).append('\n');
        }
        return yaml.toString();
    }

    /** A YAML double-quoted scalar: a JDBC URL holds ':', ';' and '=' */
    private static String quoted(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
