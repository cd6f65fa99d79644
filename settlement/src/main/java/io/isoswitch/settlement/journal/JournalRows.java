package io.isoswitch.settlement.journal;

import io.isoswitch.settlement.db.SqlValues;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.UUID;

/** The journal table's columns: binding a new row and mapping a stored row back to a {@link JournalEntry}. */
public final class JournalRows {
    /** Every column, in the order {@link #map} reads them by name; prefix with a table alias where joined. */
    public static final String COLUMNS = """
            id, node_id, business_date, terminal_id, merchant_id, stan, transaction_date, mti_class, mti, local_time,
            transaction_type, processing_code, amount_minor, currency, pan_token, masked_pan, pan_ciphertext,
            data_key_id, issuer_id, switch_stan, switch_rrn, issuer_sent_at, original_id, state, outcome_state, response_code,
            auth_code, response_data, late_response_code, late_auth_code, late_at, created_at, updated_at""";

    /**
     * A new row that fails the whole transaction if its id or idempotency key is taken. Cheaper than
     * {@link #INSERT_IF_ABSENT} on PostgreSQL: no speculative insertion (a probe of each unique index
     * before the row goes in, and one more WAL record after it to confirm it).
     */
    static final String INSERT = "INSERT INTO journal (" + COLUMNS + """
            ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    static final String INSERT_IF_ABSENT = INSERT + " ON CONFLICT DO NOTHING";

    static final String SELECT_BY_KEY = "SELECT " + COLUMNS
            + " FROM journal WHERE terminal_id = ? AND stan = ? AND transaction_date = ? AND mti_class = ?";

    public static final String SELECT_BY_ID = "SELECT " + COLUMNS + " FROM journal WHERE id = ?";

    private JournalRows() {}

    /** Binds every column of a new row for {@link #INSERT} or {@link #INSERT_IF_ABSENT}. */
    static void bindInsert(PreparedStatement s, JournalEntry e) throws SQLException {
        JournalRequest r = e.request();
        s.setObject(1, e.id());
        s.setString(2, r.nodeId());
        s.setObject(3, r.businessDate());
        s.setString(4, r.terminalId());
        s.setString(5, r.merchantId());
        s.setString(6, r.stan());
        s.setObject(7, r.transactionDate());
        s.setString(8, IdempotencyKey.mtiClassOf(r.mti()));
        s.setString(9, r.mti());
        s.setObject(10, r.localTime());
        s.setString(11, r.transactionType());
        s.setString(12, r.processingCode());
        s.setLong(13, r.amountMinor());
        s.setString(14, r.currency());
        s.setBytes(15, r.card().panToken());
        s.setString(16, r.card().maskedPan());
        SqlValues.setBytes(s, 17, r.card().panCiphertext());
        SqlValues.setString(s, 18, r.card().dataKeyId());
        IssuerLeg leg = r.issuer();
        SqlValues.setString(s, 19, leg == null ? null : leg.issuerId());
        SqlValues.setString(s, 20, leg == null ? null : leg.switchStan());
        SqlValues.setString(s, 21, leg == null ? null : leg.switchRrn());
        SqlValues.setInstant(s, 22, leg == null ? null : leg.sentAt());
        s.setObject(23, r.originalId());
        s.setString(24, e.state().name());
        Outcome o = e.outcome();
        SqlValues.setString(s, 25, o == null ? null : o.state().name());
        SqlValues.setString(s, 26, o == null ? null : o.responseCode());
        SqlValues.setString(s, 27, o == null ? null : o.authCode());
        SqlValues.setBytes(s, 28, o == null ? null : o.responseData());
        SqlValues.setString(s, 29, null);
        SqlValues.setString(s, 30, null);
        SqlValues.setInstant(s, 31, null);
        SqlValues.setInstant(s, 32, e.createdAt());
        SqlValues.setInstant(s, 33, e.updatedAt());
    }

    /** Maps the current row of a query over {@link #COLUMNS}. */
    public static JournalEntry map(ResultSet row) throws SQLException {
        byte[] ciphertext = row.getBytes("pan_ciphertext");
        CardReference card = new CardReference(
                row.getBytes("pan_token"), row.getString("masked_pan"), ciphertext, row.getString("data_key_id"));
        String issuerId = row.getString("issuer_id");
        IssuerLeg leg = issuerId == null ? null : new IssuerLeg(issuerId, row.getString("switch_stan"),
                row.getString("switch_rrn"), SqlValues.getInstant(row, "issuer_sent_at"));
        JournalRequest request = new JournalRequest(
                row.getString("node_id"),
                row.getObject("business_date", LocalDate.class),
                row.getString("terminal_id"),
                row.getString("merchant_id"),
                row.getString("stan"),
                row.getObject("transaction_date", LocalDate.class),
                row.getString("mti"),
                row.getObject("local_time", LocalDateTime.class),
                row.getString("transaction_type"),
                row.getString("processing_code"),
                row.getLong("amount_minor"),
                row.getString("currency"),
                card,
                leg,
                row.getObject("original_id", UUID.class));
        TransactionState state = TransactionState.valueOf(row.getString("state"));
        String outcomeState = row.getString("outcome_state");
        Outcome outcome = outcomeState == null ? null
                : new Outcome(TransactionState.valueOf(outcomeState), row.getString("response_code"),
                        row.getString("auth_code"), row.getBytes("response_data"));
        String lateCode = row.getString("late_response_code");
        JournalEntry.LateAnswer late = lateCode == null ? null
                : new JournalEntry.LateAnswer(lateCode, row.getString("late_auth_code"), SqlValues.getInstant(row, "late_at"));
        Instant created = SqlValues.getInstant(row, "created_at");
        Instant updated = SqlValues.getInstant(row, "updated_at");
        return new JournalEntry(row.getObject("id", UUID.class), request, state, outcome, late, created, updated);
    }

}
