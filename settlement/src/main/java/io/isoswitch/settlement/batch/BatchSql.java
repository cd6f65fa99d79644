package io.isoswitch.settlement.batch;

/**
 * The SQL of terminal batches, the same on PostgreSQL and H2 (PostgreSQL mode). Which journal rows
 * count is decided here once: approved (or approved in stand-in) purchases and completions are
 * debits, approved refunds credits; a row an approved void in the same batch refers to (its
 * {@code original_id}) does not count; a reversed row has left the approved states already.
 */
final class BatchSql {
    static final String DEBIT_TYPES = "('PURCHASE', 'PREAUTH_COMPLETION', 'PREAUTH_COMPLETION_ADVICE')";
    static final String CREDIT_TYPES = "('REFUND')";
    static final String SETTLED_TYPES = "('PURCHASE', 'PREAUTH_COMPLETION', 'PREAUTH_COMPLETION_ADVICE', 'REFUND')";
    static final String VOID_TYPES = "('PURCHASE_VOID', 'PREAUTH_COMPLETION_VOID')";
    static final String APPROVED_STATES = "('APPROVED', 'STAND_IN_APPROVED')";
    /** Resolved rows a close takes into the batch; SENT and REVERSAL_PENDING rows wait for the next. */
    static final String RESOLVED_STATES = "('APPROVED', 'STAND_IN_APPROVED', 'DECLINED', 'REVERSED', 'TIMED_OUT')";

    static final String ENSURE_TERMINAL = """
            INSERT INTO terminal_batch (terminal_id, batch_number, state, updated_at)
            VALUES (?, ?, 'OPEN', ?) ON CONFLICT DO NOTHING""";
    static final String LOCK_TERMINAL = """
            SELECT batch_number, state, pending_batch_number, pending_currency, terminal_debit_count,
                   terminal_debit_minor, terminal_credit_count, terminal_credit_minor
              FROM terminal_batch WHERE terminal_id = ? FOR UPDATE""";
    static final String BATCH_NUMBER = "SELECT batch_number FROM terminal_batch WHERE terminal_id = ?";
    /** A terminal's closed batch numbers in a range, ascending (the unique key's index serves it). */
    static final String CLOSED_NUMBERS_FROM = "SELECT DISTINCT batch_number FROM batch_close WHERE terminal_id = ?"
            + " AND batch_number >= ? AND batch_number <= ? ORDER BY batch_number";
    static final String OPEN_NEXT = """
            UPDATE terminal_batch SET batch_number = ?, state = 'OPEN', pending_batch_number = NULL,
                   pending_currency = NULL, terminal_debit_count = NULL, terminal_debit_minor = NULL,
                   terminal_credit_count = NULL, terminal_credit_minor = NULL, updated_at = ?
             WHERE terminal_id = ?""";
    static final String AWAIT_UPLOAD = """
            UPDATE terminal_batch SET state = 'UPLOADING', pending_batch_number = ?, pending_currency = ?,
                   terminal_debit_count = ?, terminal_debit_minor = ?, terminal_credit_count = ?,
                   terminal_credit_minor = ?, updated_at = ?
             WHERE terminal_id = ?""";

    static final String CLOSE_COLUMNS = """
            id, terminal_id, batch_number, currency, outcome, terminal_debit_count, terminal_debit_minor,
            terminal_credit_count, terminal_credit_minor, host_debit_count, host_debit_minor, host_credit_count,
            host_credit_minor""";
    static final String INSERT_CLOSE = "INSERT INTO batch_close (" + CLOSE_COLUMNS
            + ", closed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    static final String HOST_FIGURES = """
            UPDATE batch_close SET host_debit_count = ?, host_debit_minor = ?, host_credit_count = ?,
                   host_credit_minor = ? WHERE id = ?""";
    static final String FIND_CLOSE = "SELECT " + CLOSE_COLUMNS
            + " FROM batch_close WHERE terminal_id = ? AND batch_number = ? AND currency = ?";
    static final String FIND_ANY_CLOSE = "SELECT " + CLOSE_COLUMNS
            + " FROM batch_close WHERE terminal_id = ? AND batch_number = ? ORDER BY closed_at DESC";

    /** Takes a terminal's resolved open rows in one currency into the batch being closed. */
    static final String MARK_OPEN_ROWS = "UPDATE journal SET batch_id = ? WHERE terminal_id = ? AND batch_id IS NULL"
            + " AND currency = ? AND state IN " + RESOLVED_STATES;

    /** Parameters: terminal, batch id, then {@link #counted}'s. */
    static final String TOTALS = """
            SELECT COALESCE(SUM(CASE WHEN j.transaction_type IN %1$s THEN 1 ELSE 0 END), 0),
                   COALESCE(SUM(CASE WHEN j.transaction_type IN %1$s THEN j.amount_minor ELSE 0 END), 0),
                   COALESCE(SUM(CASE WHEN j.transaction_type IN %2$s THEN 1 ELSE 0 END), 0),
                   COALESCE(SUM(CASE WHEN j.transaction_type IN %2$s THEN j.amount_minor ELSE 0 END), 0)
              FROM journal j
             WHERE j.terminal_id = ? AND j.batch_id = ? AND %3$s""".formatted(DEBIT_TYPES, CREDIT_TYPES, counted("j"));

    static final String INSERT_LINE = """
            INSERT INTO batch_upload_line (terminal_id, batch_number, stan, card_flag, masked_pan, pan_token,
                                           amount_minor, received_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""";
    /** A batch's uploaded lines; the key's index, which starts with terminal and batch number, serves it. */
    static final String UPLOADED_LINES = """
            SELECT stan, card_flag, masked_pan, pan_token, amount_minor
              FROM batch_upload_line WHERE terminal_id = ? AND batch_number = ? ORDER BY stan, amount_minor, masked_pan""";
    /**
     * The rows an upload is compared with: what the batch settles. Read into Java once and paired
     * there ({@link UploadReconciliation}): a STAN does not name one row, and SQL that pairs rows
     * one to one within a STAN is a window or a loop per STAN, not an equi-join. Parameters: batch
     * id, terminal, then {@link #counted}'s.
     */
    static final String COUNTED_ROWS = """
            SELECT j.id, j.stan, j.amount_minor, j.masked_pan, j.pan_token
              FROM journal j
             WHERE j.batch_id = ? AND j.terminal_id = ? AND %s
             ORDER BY j.stan, j.created_at, j.id""".formatted(settled("j"));
    static final String INSERT_DIFFERENCE = """
            INSERT INTO batch_difference (batch_id, reason, stan, journal_id, terminal_amount_minor,
                                          host_amount_minor, masked_pan)
            VALUES (?, ?, ?, ?, ?, ?, ?)""";
    static final String DIFFERENCES = """
            SELECT reason, stan, journal_id, terminal_amount_minor, host_amount_minor, masked_pan
              FROM batch_difference WHERE batch_id = ? ORDER BY reason, stan, id""";

    static final String IS_CLOSED = "SELECT batch_id FROM journal WHERE id = ?";
    static final String ORIGINAL_BY_RRN = "SELECT id, batch_id FROM journal WHERE terminal_id = ? AND switch_rrn = ?"
            + " AND transaction_type IN " + SETTLED_TYPES + " ORDER BY created_at DESC";

    private BatchSql() {
    }

    /**
     * The row {@code alias} counts in its batch's totals: approved, and no approved void of it in the
     * batch. Parameters: terminal, batch id (of the batch the voids are looked for in).
     */
    static String counted(String alias) {
        return alias + ".state IN " + APPROVED_STATES + " AND " + alias + ".id NOT IN (SELECT v.original_id FROM journal v"
                + " WHERE v.terminal_id = ? AND v.batch_id = ? AND v.original_id IS NOT NULL AND v.transaction_type IN "
                + VOID_TYPES + " AND v.state IN " + APPROVED_STATES + ")";
    }

    /** A debit or credit that counts: what a terminal uploads. */
    static String settled(String alias) {
        return alias + ".transaction_type IN " + SETTLED_TYPES + " AND " + counted(alias);
    }
}
