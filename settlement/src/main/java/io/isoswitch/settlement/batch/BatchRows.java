package io.isoswitch.settlement.batch;

import io.isoswitch.settlement.db.SqlValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The statements {@link Batches} runs inside its transactions, one method each. */
final class BatchRows {
    private BatchRows() {
    }

    static void insertClose(Connection c, UUID id, String terminalId, int batchNumber, String currency, BatchOutcome outcome,
                            BatchTotals terminal, BatchTotals host, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(BatchSql.INSERT_CLOSE)) {
            s.setObject(1, id);
            s.setString(2, terminalId);
            s.setInt(3, batchNumber);
            s.setString(4, currency);
            s.setString(5, outcome.name());
            setTotals(s, 6, terminal);
            setTotals(s, 10, host);
            SqlValues.setInstant(s, 14, now);
            s.executeUpdate();
        }
    }

    static void hostFigures(Connection c, UUID id, BatchTotals host) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(BatchSql.HOST_FIGURES)) {
            setTotals(s, 1, host);
            s.setObject(5, id);
            s.executeUpdate();
        }
    }

    static void awaitUpload(Connection c, String terminalId, int batchNumber, String currency, BatchTotals claimed,
                            Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(BatchSql.AWAIT_UPLOAD)) {
            s.setInt(1, batchNumber);
            s.setString(2, currency);
            setTotals(s, 3, claimed);
            SqlValues.setInstant(s, 7, now);
            s.setString(8, terminalId);
            s.executeUpdate();
        }
    }

    static int markOpenRows(Connection c, UUID id, String terminalId, String currency) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(BatchSql.MARK_OPEN_ROWS)) {
            s.setObject(1, id);
            s.setString(2, terminalId);
            s.setString(3, currency);
            return s.executeUpdate();
        }
    }

    static BatchTotals totals(Connection c, String terminalId, UUID id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(BatchSql.TOTALS)) {
            bind(s, terminalId, id, terminalId, id);
            try (ResultSet row = s.executeQuery()) {
                row.next();
                return new BatchTotals(row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4));
            }
        }
    }

    static Optional<ClosedBatch> findClose(Connection c, String terminalId, int batchNumber, String currency) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(BatchSql.FIND_CLOSE)) {
            s.setString(1, terminalId);
            s.setInt(2, batchNumber);
            s.setString(3, currency);
            return first(s);
        }
    }

    static Optional<ClosedBatch> findAnyClose(Connection c, String terminalId, int batchNumber) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(BatchSql.FIND_ANY_CLOSE)) {
            s.setString(1, terminalId);
            s.setInt(2, batchNumber);
            s.setMaxRows(1);
            return first(s);
        }
    }

    static void insertLines(Connection c, String terminalId, int batchNumber, List<UploadLine> lines, Instant now)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(BatchSql.INSERT_LINE)) {
            for (UploadLine line : lines) {
                s.setString(1, terminalId);
                s.setInt(2, batchNumber);
                s.setString(3, line.stan());
                s.setString(4, line.cardFlag());
                s.setString(5, line.maskedPan());
                SqlValues.setBytes(s, 6, line.panToken());
                s.setLong(7, line.amountMinor());
                SqlValues.setInstant(s, 8, now);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /**
     * Records every difference between the batch's uploaded lines and its counted journal rows
     * ({@link UploadReconciliation}), and a count difference when the terminal declared another
     * number of lines than the distinct lines kept. Each side is read once.
     */
    static void reconcile(Connection c, UUID id, String terminalId, int batchNumber, long declaredCount) throws SQLException {
        List<UploadLine> lines = uploadedLines(c, terminalId, batchNumber);
        List<Difference> differences = UploadReconciliation.differences(lines, countedRows(c, terminalId, id));
        if (lines.size() != declaredCount) {
            differences.add(new Difference(DifferenceReason.COUNT_DIFFERS, null, null, declaredCount, (long) lines.size(), null));
        }
        insertDifferences(c, id, differences);
    }

    private static List<UploadLine> uploadedLines(Connection c, String terminalId, int batchNumber) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(BatchSql.UPLOADED_LINES)) {
            s.setString(1, terminalId);
            s.setInt(2, batchNumber);
            List<UploadLine> lines = new ArrayList<>();
            try (ResultSet row = s.executeQuery()) {
                while (row.next()) {
                    lines.add(new UploadLine(row.getString(1), row.getString(2), row.getString(3), row.getBytes(4), row.getLong(5)));
                }
            }
            return lines;
        }
    }

    private static List<UploadReconciliation.HostRow> countedRows(Connection c, String terminalId, UUID id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(BatchSql.COUNTED_ROWS)) {
            bind(s, id, terminalId, terminalId, id);
            List<UploadReconciliation.HostRow> rows = new ArrayList<>();
            try (ResultSet row = s.executeQuery()) {
                while (row.next()) {
                    rows.add(new UploadReconciliation.HostRow(row.getObject(1, UUID.class), row.getString(2), row.getLong(3),
                            row.getString(4), row.getBytes(5)));
                }
            }
            return rows;
        }
    }

    private static void insertDifferences(Connection c, UUID id, List<Difference> differences) throws SQLException {
        if (differences.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement(BatchSql.INSERT_DIFFERENCE)) {
            for (Difference d : differences) {
                s.setObject(1, id);
                s.setString(2, d.reason().name());
                SqlValues.setString(s, 3, d.stan());
                s.setObject(4, d.journalId());
                setLong(s, 5, d.terminalAmountMinor());
                setLong(s, 6, d.hostAmountMinor());
                SqlValues.setString(s, 7, d.maskedPan());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private static void setLong(PreparedStatement s, int index, Long value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.BIGINT);
        } else {
            s.setLong(index, value);
        }
    }

    /** Binds UUIDs, strings and numbers, the only kinds these statements take. */
    private static void bind(PreparedStatement s, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            s.setObject(i + 1, values[i]);
        }
    }

    static List<Difference> differences(Connection c, UUID batchId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(BatchSql.DIFFERENCES)) {
            s.setObject(1, batchId);
            List<Difference> differences = new ArrayList<>();
            try (ResultSet row = s.executeQuery()) {
                while (row.next()) {
                    differences.add(new Difference(DifferenceReason.valueOf(row.getString(1)), row.getString(2),
                            row.getObject(3, UUID.class), row.getObject(4, Long.class), row.getObject(5, Long.class),
                            row.getString(6)));
                }
            }
            return differences;
        }
    }

    private static Optional<ClosedBatch> first(PreparedStatement s) throws SQLException {
        try (ResultSet row = s.executeQuery()) {
            if (!row.next()) {
                return Optional.empty();
            }
            return Optional.of(new ClosedBatch(row.getObject(1, UUID.class), row.getString(2), row.getInt(3), row.getString(4),
                    BatchOutcome.valueOf(row.getString(5)),
                    new BatchTotals(row.getLong(6), row.getLong(7), row.getLong(8), row.getLong(9)),
                    new BatchTotals(row.getLong(10), row.getLong(11), row.getLong(12), row.getLong(13))));
        }
    }

    private static void setTotals(PreparedStatement s, int from, BatchTotals totals) throws SQLException {
        s.setLong(from, totals.debitCount());
        s.setLong(from + 1, totals.debitMinor());
        s.setLong(from + 2, totals.creditCount());
        s.setLong(from + 3, totals.creditMinor());
    }
}
