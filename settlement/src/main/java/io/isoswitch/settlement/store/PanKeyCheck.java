package io.isoswitch.settlement.store;

import io.isoswitch.settlement.db.BlockingSqlExecutor;
import io.isoswitch.settlement.db.JournalDatabase;
import io.isoswitch.settlement.db.SqlValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The PAN protection keys the journal's records are made under, in the journal database so that a
 * node started with other keys learns of it before it writes a record: one row, recorded by the
 * first node to start, naming the keys by what they make ({@link KeyNames}), never the keys. What a
 * node does with it is the node's: this store only records and reads. Runs on the database's
 * executor; a node asks once, at start.
 */
public final class PanKeyCheck {
    /** The one row's id: the table's check constraint admits no other, so a second row cannot be. */
    private static final int ONLY_ROW = 1;
    private static final String RECORD = "INSERT INTO pan_key_check (id, probe_token, data_key_id, node_id, recorded_at)"
            + " VALUES (" + ONLY_ROW + ", ?, ?, ?, CURRENT_TIMESTAMP) ON CONFLICT DO NOTHING";
    private static final String RECORDED = "SELECT probe_token, data_key_id, node_id, recorded_at FROM pan_key_check WHERE id = " + ONLY_ROW;
    /**
     * A data key of the latest business date's records: where the journal held records before this
     * table was there. The index on (business_date, merchant_id) finds that date without a scan.
     */
    private static final String JOURNAL_DATA_KEY = "SELECT data_key_id FROM journal WHERE data_key_id IS NOT NULL"
            + " ORDER BY business_date DESC FETCH FIRST 1 ROWS ONLY";

    /**
     * A pair of PAN keys named by what they make: enough to tell two pairs apart, nothing to recover
     * either key or a card number from.
     *
     * @param probeToken the HMAC token (hex) the token key makes of a fixed probe number
     * @param dataKeyId  the data key's identity as the journal records it beside each encrypted PAN
     *                   (its check value)
     */
    public record KeyNames(String probeToken, String dataKeyId) {
        public KeyNames {
            Objects.requireNonNull(probeToken, "probeToken");
            Objects.requireNonNull(dataKeyId, "dataKeyId");
        }
    }

    /**
     * The keys the journal's records are made under, and who recorded them.
     *
     * @param recordedAt the database's clock when they were recorded
     */
    public record Recorded(KeyNames keys, String nodeId, Instant recordedAt) {
    }

    private final BlockingSqlExecutor executor;

    public PanKeyCheck(JournalDatabase database) {
        this.executor = database.executor();
    }

    /** The keys recorded, or empty where no node has recorded any yet. */
    public CompletableFuture<Optional<Recorded>> recorded() {
        return executor.inTransaction("PAN key check read", PanKeyCheck::read);
    }

    /**
     * Records {@code keys} as the journal's, made by {@code nodeId}, unless a row is there already;
     * completes with the row there after: this node's, or that of another node that recorded first
     * (two starting at once: the insert of one waits for the other's and then does nothing).
     */
    public CompletableFuture<Recorded> recordUnlessRecorded(KeyNames keys, String nodeId) {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(nodeId, "nodeId");
        return executor.inTransaction("PAN key check record", c -> {
            try (PreparedStatement s = c.prepareStatement(RECORD)) {
                s.setString(1, keys.probeToken());
                s.setString(2, keys.dataKeyId());
                s.setString(3, nodeId);
                s.executeUpdate();
            }
            // read committed: the select sees the row of whichever insert came first
            return read(c).orElseThrow(() -> new IllegalStateException("pan_key_check has no row after an insert"));
        });
    }

    /**
     * The data key of a record of the journal's latest business date, or empty where no record has
     * an encrypted PAN: what a journal that was written before {@code pan_key_check} tells of its keys.
     */
    public CompletableFuture<Optional<String>> journalDataKeyId() {
        return executor.inTransaction("journal data key read", c -> {
            try (PreparedStatement s = c.prepareStatement(JOURNAL_DATA_KEY); ResultSet row = s.executeQuery()) {
                return row.next() ? Optional.of(row.getString(1)) : Optional.<String>empty();
            }
        });
    }

    private static Optional<Recorded> read(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(RECORDED); ResultSet row = s.executeQuery()) {
            return row.next()
                    ? Optional.of(new Recorded(new KeyNames(row.getString(1), row.getString(2)), row.getString(3),
                            SqlValues.getInstant(row, "recorded_at")))
                    : Optional.empty();
        }
    }
}
