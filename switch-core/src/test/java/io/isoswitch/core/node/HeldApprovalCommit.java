package io.isoswitch.core.node;

import io.isoswitch.core.testing.JournalBackend;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The commit of one record's approval (SENT to APPROVED) held on an advisory lock the test holds,
 * by {@link OwedReversalAfterKillPostgresTest#holdApprovalCommit}: while held, past the journal's
 * network timeout, the node's write of the approval is in doubt and its terminal hears 96. Closing
 * lets go of the lock; the test drops the trigger {@code hold_approval} once the approval committed.
 */
final class HeldApprovalCommit implements AutoCloseable {
    private final Connection lockHolder;
    private final Statement statement;
    private final long lockKey;

    private HeldApprovalCommit(Connection lockHolder, long lockKey) throws SQLException {
        this.lockHolder = lockHolder;
        this.statement = lockHolder.createStatement();
        this.lockKey = lockKey;
    }

    /** Holds, from now until {@link #release} or {@link #close}, the commit of the approval of {@code stan} at {@code terminalId}. */
    static HeldApprovalCommit hold(JournalBackend backend, String terminalId, String stan) throws SQLException {
        long lockKey = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        OwedReversalAfterKillPostgresTest.holdApprovalCommit(backend, terminalId, stan, lockKey);
        return locked(backend, lockKey);
    }

    /**
     * Holds, from now until {@link #release} or {@link #close}, the commit of the record of a stand-in
     * approval of {@code stan} at {@code terminalId} (its insert); the test drops the trigger {@code hold_insert}.
     */
    static HeldApprovalCommit holdStandIn(JournalBackend backend, String terminalId, String stan) throws SQLException {
        long lockKey = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        OwedReversalAfterKillPostgresTest.holdRecordCommit(backend, terminalId, stan, lockKey);
        return locked(backend, lockKey);
    }

    private static HeldApprovalCommit locked(JournalBackend backend, long lockKey) throws SQLException {
        HeldApprovalCommit held = new HeldApprovalCommit(backend.connect(), lockKey);
        try {
            held.statement.execute("SELECT pg_advisory_lock(" + lockKey + ")");
        } catch (SQLException | RuntimeException e) {
            held.close();
            throw e;
        }
        return held;
    }

    /** Lets the held commit go through. */
    void release() throws SQLException {
        statement.execute("SELECT pg_advisory_unlock(" + lockKey + ")");
    }

    @Override
    public void close() throws SQLException {
        try (lockHolder; statement) {
            // closing the session lets go of the lock too
        }
    }
}
