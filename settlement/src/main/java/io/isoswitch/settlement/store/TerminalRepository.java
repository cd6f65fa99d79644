package io.isoswitch.settlement.store;

import io.isoswitch.settlement.SqlFailures;
import io.isoswitch.settlement.db.JournalDatabase;
import io.isoswitch.settlement.db.SqlValues;
import io.isoswitch.settlement.db.Transactions;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Terminals in the journal database. Allowed transaction types are stored as one comma-separated
 * column, which reads the same on H2 and PostgreSQL. Blocking: call at start, on reload, or from
 * a worker thread.
 */
public final class TerminalRepository {
    private static final String UPDATE = """
            UPDATE terminal SET merchant_id = ?, dialect = ?, tmk_key_block = ?, allowed_types = ?, status = ?,
                   updated_at = ?
             WHERE terminal_id = ?""";
    private static final String INSERT = """
            INSERT INTO terminal (merchant_id, dialect, tmk_key_block, allowed_types, status, updated_at, terminal_id)
            VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""";
    private static final String SELECT =
            "SELECT terminal_id, merchant_id, dialect, tmk_key_block, allowed_types, status FROM terminal";

    private final DataSource dataSource;
    private final Clock clock;

    public TerminalRepository(JournalDatabase database, Clock clock) {
        this.dataSource = database.dataSource();
        this.clock = clock;
    }

    /** Creates or replaces {@code terminal}; its merchant must exist. */
    public void upsert(Terminal terminal) {
        try {
            Transactions.inTransaction(dataSource, c -> {
                try (PreparedStatement update = c.prepareStatement(UPDATE);
                     PreparedStatement insert = c.prepareStatement(INSERT)) {
                    bind(update, terminal);
                    bind(insert, terminal);
                    Upserts.upsert(update::executeUpdate, insert::executeUpdate);
                }
                return null;
            });
        } catch (SQLException e) {
            throw SqlFailures.translate(e, "terminal upsert " + terminal.terminalId());
        }
    }

    public Optional<Terminal> find(String terminalId) {
        return query(SELECT + " WHERE terminal_id = ?", terminalId).stream().findFirst();
    }

    public List<Terminal> findAll() {
        return query(SELECT + " ORDER BY terminal_id", null);
    }

    private void bind(PreparedStatement s, Terminal t) throws SQLException {
        s.setString(1, t.merchantId());
        s.setString(2, t.dialect());
        s.setString(3, t.tmkKeyBlock());
        s.setString(4, String.join(",", new TreeSet<>(t.allowedTransactionTypes())));
        s.setString(5, t.status().name());
        SqlValues.setInstant(s, 6, clock.instant());
        s.setString(7, t.terminalId());
    }

    private List<Terminal> query(String sql, String id) {
        try {
            return Transactions.inTransaction(dataSource, c -> {
                List<Terminal> terminals = new ArrayList<>();
                try (PreparedStatement s = c.prepareStatement(sql)) {
                    if (id != null) {
                        s.setString(1, id);
                    }
                    try (ResultSet r = s.executeQuery()) {
                        while (r.next()) {
                            terminals.add(new Terminal(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                                    types(r.getString(5)), TerminalStatus.valueOf(r.getString(6))));
                        }
                    }
                }
                return terminals;
            });
        } catch (SQLException e) {
            throw SqlFailures.translate(e, "terminal lookup");
        }
    }

    private static Set<String> types(String column) {
        return column.isEmpty() ? Set.of()
                : Arrays.stream(column.split(",")).collect(Collectors.toUnmodifiableSet());
    }
}
