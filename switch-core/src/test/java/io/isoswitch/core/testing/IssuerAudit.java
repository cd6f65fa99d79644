package io.isoswitch.core.testing;

import io.isoswitch.settlement.audit.AuditDifference;
import io.isoswitch.settlement.audit.ClearingFile;
import io.isoswitch.settlement.audit.JournalAudit;
import io.isoswitch.settlement.db.JournalDatabase;
import io.isoswitch.sim.ledger.LedgerExport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code iso-switch audit} reports for a fixture: its issuer's ledger, exported as the issuer
 * simulator exports it, compared with the journal on every business date the journal holds.
 */
public final class IssuerAudit {
    private IssuerAudit() {
    }

    /** The differences between the journal and the fixture issuer's ledger; empty when they agree to the minor unit. */
    public static List<AuditDifference> differences(SwitchFixture fixture, Path scratchDir) {
        Path ledger = scratchDir.resolve("ledger-" + System.nanoTime() + ".csv");
        try (Writer out = Files.newBufferedWriter(ledger)) {
            LedgerExport.writeEntries(fixture.issuer().bank().snapshot().entries(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var entries = ClearingFile.read(ledger);
        List<AuditDifference> differences = new ArrayList<>();
        try (JournalDatabase database = JournalDatabase.open(fixture.node().config().journal().toDatabaseConfig())) {
            JournalAudit audit = new JournalAudit(database);
            for (LocalDate date : businessDates(fixture.backend())) {
                differences.addAll(audit.compare(date, SwitchFixture.ISSUER, entries).join());
            }
        }
        return differences;
    }

    private static List<LocalDate> businessDates(JournalBackend backend) {
        try (Connection c = backend.connect(); ResultSet r = c.createStatement().executeQuery("SELECT DISTINCT business_date FROM journal")) {
            List<LocalDate> dates = new ArrayList<>();
            while (r.next()) {
                dates.add(r.getObject(1, LocalDate.class));
            }
            return dates;
        } catch (SQLException e) {
            throw new IllegalStateException("reading the journal's business dates failed: " + e.getMessage(), e);
        }
    }
}
