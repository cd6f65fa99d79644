package io.isoswitch.settlement.batch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A terminal's {@code terminal_batch} row, read under its row lock.
 *
 * @param batchNumber        the open batch
 * @param uploading          true between an out-of-balance settlement and its closing upload
 * @param pendingBatchNumber the batch awaiting an upload, or 0
 * @param pendingCurrency    its currency, or null
 * @param claimed            what the terminal's settlement claimed for it, or null
 */
record TerminalRow(int batchNumber, boolean uploading, int pendingBatchNumber, String pendingCurrency, BatchTotals claimed) {
    static final String UPLOADING = "UPLOADING";

    static TerminalRow lock(Connection c, String terminalId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(BatchSql.LOCK_TERMINAL)) {
            s.setString(1, terminalId);
            try (ResultSet row = s.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("terminal_batch: no row for terminal " + terminalId + " after creating it");
                }
                boolean uploading = UPLOADING.equals(row.getString(2));
                BatchTotals claimed = uploading ? new BatchTotals(row.getLong(5), row.getLong(6), row.getLong(7), row.getLong(8)) : null;
                return new TerminalRow(row.getInt(1), uploading, uploading ? row.getInt(3) : 0,
                        uploading ? row.getString(4) : null, claimed);
            }
        }
    }

    /** True when an out-of-balance settlement of {@code batch} waits for its upload. */
    boolean awaitsUpload(int batch) {
        return uploading && pendingBatchNumber == batch;
    }
}
