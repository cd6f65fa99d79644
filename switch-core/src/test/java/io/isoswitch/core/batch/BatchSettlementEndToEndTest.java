package io.isoswitch.core.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.terminal.CardData;
import io.isoswitch.sim.terminal.PosTerminal;
import io.isoswitch.sim.terminal.SettlementResult;
import io.isoswitch.sim.terminal.TerminalConfig;
import io.isoswitch.sim.terminal.TerminalDialect;
import io.isoswitch.sim.terminal.TerminalResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Batch close through real TCP on the real PostgreSQL, the terminal simulator on one side and a
 * whole switch node on the other, for UnionPay POS and ISO 8583:1987 binary terminals: a batch that
 * agrees closes and the number moves on (kept in the database: a new sign-on returns it); one the
 * journal disagrees with is uploaded and closed with the host's figures, each difference recorded;
 * a void of a closed batch's purchase is refused with 12.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchSettlementEndToEndTest {
    private JournalBackend backend;
    private SwitchFixture fixture;
    private Path dir;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("batch-e2e");
        backend = JournalBackend.postgres(BatchSettlementEndToEndTest.class);
        fixture = SwitchFixture.start(SwitchFixture.Options.of(backend, dir).withTerminalsPerDialect(3).withCards(8));
    }

    @AfterAll
    void stop() throws Exception {
        fixture.close();
        backend.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static io.isoswitch.core.testing.TerminalDialect fixtureDialect(TerminalDialect dialect) {
        return dialect.isCup() ? io.isoswitch.core.testing.TerminalDialect.CUP_POS
                : io.isoswitch.core.testing.TerminalDialect.ISO87_BINARY;
    }

    private PosTerminal pos(TerminalDialect dialect, int number) {
        io.isoswitch.core.testing.TerminalDialect fixtureDialect = fixtureDialect(dialect);
        return PosTerminal.connect(TerminalConfig.of("127.0.0.1", fixture.port(fixtureDialect), dialect,
                SwitchFixture.terminalId(fixtureDialect, number), SwitchFixture.MERCHANT, 156, fixture.hsm(), fixture.tmk())
                .withTimeout(Duration.ofSeconds(20)));
    }

    private CardData card(int i) {
        return CardData.of(fixture.issuer().card(i));
    }

    private double closes(String outcome) {
        return fixture.node().registry().get(BatchMetrics.CLOSES).tag("outcome", outcome).counter().count();
    }

    @ParameterizedTest
    @EnumSource(value = TerminalDialect.class, names = {"CUP_POS", "ISO87_BINARY"})
    void aBatchThatAgreesClosesTheNumberMovesOnAndAVoidOfItsPurchaseIsRefused(TerminalDialect dialect) throws Exception {
        double balancedBefore = closes("balanced");
        TerminalResult kept;
        try (PosTerminal pos = pos(dialect, 1)) {
            assertThat(pos.signOn().responseCode()).isEqualTo("00");
            String first = pos.batchNumber();
            kept = pos.purchase(card(0), 1_000);
            TerminalResult reversed = pos.purchase(card(1), 2_000);
            assertThat(pos.purchase(card(2), 3_000).approved()).isTrue();
            assertThat(pos.refundOf(kept, 500).approved()).isTrue();
            assertThat(pos.reverse(reversed).responseCode()).isEqualTo("00");
            TerminalResult voided = pos.purchase(card(4), 4_000);
            assertThat(pos.voidOf(voided).responseCode()).isEqualTo("00");
            assertThat(kept.approved()).isTrue();

            SettlementResult settled = pos.settle();

            assertThat(settled.responseCode()).isEqualTo("00");
            assertThat(settled.balanced()).isTrue();
            assertThat(settled.uploaded()).isZero();
            assertThat(settled.totals().debitCount()).isEqualTo(2);
            assertThat(pos.batchNumber()).isEqualTo(String.format(Locale.ROOT, "%06d", Integer.parseInt(first) + 1));
        }
        assertThat(closes("balanced")).isEqualTo(balancedBefore + 1);
        String terminalId = SwitchFixture.terminalId(fixtureDialect(dialect), 1);
        assertThat(rows("SELECT outcome, host_debit_count, host_debit_minor, host_credit_count, host_credit_minor"
                + " FROM batch_close WHERE terminal_id = ?", terminalId)).containsExactly("BALANCED,2,4000,1,500");

        try (TerminalSide again = fixture.signedOn(fixtureDialect(dialect), 1)) {
            if (dialect.isCup()) {
                // the batch number lives in the database: a new session starts on the next batch
                assertThat(again.batch()).isEqualTo("000002");
            }
            IsoMessage voidAfterClose = voidOf(again, card(0), "000777", 1_000, kept.rrn());
            assertThat(again.send(voidAfterClose).getString(39)).isEqualTo("12");

            // a void of the open batch's purchase is served, linked to its original
            io.isoswitch.sim.card.IssuedCard issued = fixture.issuer().card(3);
            IsoMessage open = again.send(again.requests().purchase(SwitchFixture.read(issued),
                    again.pinBlock(issued.pin(), issued.account().pan()), "000780", 700));
            assertThat(open.getString(39)).isEqualTo("00");
            assertThat(again.send(voidOf(again, card(3), "000781", 700, open.getString(37))).getString(39)).isEqualTo("00");
        }
        // refused before the journal: no record of the void after close
        assertThat(rows("SELECT state FROM journal WHERE terminal_id = ? AND stan = '000777'", terminalId)).isEmpty();
        assertThat(rows("SELECT o.stan FROM journal v JOIN journal o ON o.id = v.original_id"
                + " WHERE v.terminal_id = ? AND v.stan = '000781'", terminalId)).containsExactly("000780");
    }

    @ParameterizedTest
    @EnumSource(value = TerminalDialect.class, names = {"CUP_POS", "ISO87_BINARY"})
    void aTerminalStartingAgainAtBatchOneLearnsItsOpenBatchAtSignOnAndClosesIt(TerminalDialect dialect) {
        // a terminal that lost its batch number (a new `iso-switch terminal` run starts at 1) learns
        // the open one from its sign-on; a 1987 terminal was refused 12 for ever once batch 1 closed
        io.isoswitch.core.testing.TerminalDialect fixtureDialect = fixtureDialect(dialect);
        for (int run = 1; run <= 2; run++) {
            String expected = "00000" + run;
            // each run numbers its STANs afresh, past the previous run's (as `iso-switch terminal` does)
            try (PosTerminal pos = PosTerminal.connect(TerminalConfig.of("127.0.0.1", fixture.port(fixtureDialect), dialect,
                    SwitchFixture.terminalId(fixtureDialect, 3), SwitchFixture.MERCHANT, 156, fixture.hsm(), fixture.tmk())
                    .withTimeout(Duration.ofSeconds(20)), 100 * run)) {
                assertThat(pos.signOn().responseCode()).isEqualTo("00");
                assertThat(pos.batchNumber()).isEqualTo(expected);
                assertThat(pos.purchase(card(5), 1_100).approved()).isTrue();

                SettlementResult settled = pos.settle();

                assertThat(settled.responseCode()).isEqualTo("00");
                assertThat(settled.balanced()).isTrue();
                assertThat(settled.batch()).isEqualTo(expected);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = TerminalDialect.class, names = {"CUP_POS", "ISO87_BINARY"})
    void aBatchTheJournalDisagreesWithIsUploadedAndClosedWithTheHostsFigures(TerminalDialect dialect) throws Exception {
        double outOfBalanceBefore = closes("out_of_balance");
        double afterUploadBefore = closes("closed_after_upload");
        String terminalId = SwitchFixture.terminalId(fixtureDialect(dialect), 2);
        try (PosTerminal pos = pos(dialect, 2)) {
            pos.signOn();
            String first = pos.batchNumber();
            List<TerminalResult> purchases = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                purchases.add(pos.purchase(card(i % 8), 100 + i));
            }
            assertThat(purchases).allMatch(TerminalResult::approved);
            assertThat(pos.refundOf(purchases.get(0), 50).approved()).isTrue();
            String altered = stan(purchases.get(1));
            String lost = stan(purchases.get(2));
            try (Connection c = backend.connect()) {
                update(c, "UPDATE journal SET amount_minor = 999 WHERE terminal_id = ? AND stan = ?", terminalId, altered);
                update(c, "UPDATE journal SET state = 'DECLINED' WHERE terminal_id = ? AND stan = ?", terminalId, lost);
                copyAsExtraPurchase(c, terminalId, stan(purchases.get(3)), "999999");
            }

            SettlementResult settled = pos.settle();

            assertThat(settled.responseCode()).isEqualTo(dialect.isCup() ? "00" : "95");
            assertThat(settled.balanced()).isFalse();
            assertThat(settled.uploaded()).isEqualTo(10);
            assertThat(pos.batchNumber()).isEqualTo(String.format(Locale.ROOT, "%06d", Integer.parseInt(first) + 1));
        }
        // host: 9 purchases (one lost, one extra), one at 999 instead of 101; the terminal's refund
        long hostDebits = (100 + 101 + 102 + 103 + 104 + 105 + 106 + 107 + 108) - 101 + 999 - 102 + 103;
        assertThat(rows("SELECT outcome, terminal_debit_count, host_debit_count, host_debit_minor, host_credit_count, host_credit_minor"
                + " FROM batch_close WHERE terminal_id = ?", terminalId))
                .containsExactly("CLOSED_AFTER_UPLOAD,9,9," + hostDebits + ",1,50");
        assertThat(rows("SELECT d.reason, d.stan, d.terminal_amount_minor, d.host_amount_minor FROM batch_difference d"
                + " JOIN batch_close b ON b.id = d.batch_id WHERE b.terminal_id = ? ORDER BY d.reason", terminalId))
                .containsExactly("AMOUNT_DIFFERS,000003,101,999", "MISSING_AT_HOST,000004,102,null",
                        "MISSING_AT_TERMINAL,999999,null,103");
        assertThat(rows("SELECT COUNT(*) FROM journal WHERE terminal_id = ? AND batch_id IS NULL AND state = 'APPROVED'",
                terminalId)).containsExactly("0");
        assertThat(closes("out_of_balance")).isEqualTo(outOfBalanceBefore + 1);
        assertThat(closes("closed_after_upload")).isEqualTo(afterUploadBefore + 1);
    }

    /** A void of the purchase whose answer carried {@code rrn}, as the dialect writes one. */
    static IsoMessage voidOf(TerminalSide terminal, CardData card, String stan, long amount, String rrn) {
        IsoMessage m = terminal.requests().refund(new io.isoswitch.core.testing.TerminalRequests.Card(card.pan(),
                card.expiry().format(java.time.format.DateTimeFormatter.ofPattern("yyMM", Locale.ROOT))), stan, amount, rrn);
        m.mti("0200");
        if (terminal.dialect().cup()) {
            return m.set(3, "200000").set(60, "23" + terminal.batch() + "000");
        }
        return m.set(3, "020000");
    }

    private static String stan(TerminalResult result) {
        return String.format(Locale.ROOT, "%06d", result.stan());
    }

    private List<String> rows(String sql, String terminalId) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = backend.connect(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, terminalId);
            try (ResultSet r = s.executeQuery()) {
                int columns = r.getMetaData().getColumnCount();
                while (r.next()) {
                    List<String> values = new ArrayList<>();
                    for (int i = 1; i <= columns; i++) {
                        values.add(String.valueOf(r.getObject(i)));
                    }
                    rows.add(String.join(",", values));
                }
            }
        }
        return rows;
    }

    private static void update(Connection c, String sql, String terminalId, String stan) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, terminalId);
            s.setString(2, stan);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
    }

    /** A purchase the host approved that the terminal never saw: a copy of one with another id and STAN. */
    private static void copyAsExtraPurchase(Connection c, String terminalId, String fromStan, String newStan) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (ResultSet r = c.getMetaData().getColumns(null, c.getSchema(), "journal", null)) {
            while (r.next()) {
                columns.add(r.getString("COLUMN_NAME"));
            }
        }
        List<String> values = columns.stream().map(column -> switch (column) {
            case "id" -> "CAST(? AS UUID)";
            case "stan" -> "'" + newStan + "'";
            default -> column;
        }).toList();
        try (PreparedStatement s = c.prepareStatement("INSERT INTO journal (" + String.join(", ", columns) + ") SELECT "
                + String.join(", ", values) + " FROM journal WHERE terminal_id = ? AND stan = ? AND mti_class NOT LIKE '9%'")) {
            s.setString(1, java.util.UUID.randomUUID().toString());
            s.setString(2, terminalId);
            s.setString(3, fromStan);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
    }
}
