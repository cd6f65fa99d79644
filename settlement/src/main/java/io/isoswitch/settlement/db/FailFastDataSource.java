package io.isoswitch.settlement.db;

import io.isoswitch.settlement.SqlFailures;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The journal's pool as its users see it: while the database is known to be out of reach, every
 * caller fails at once, and one probe at a time, on a thread of its own, waits for a connection
 * (up to {@code journal.connectionTimeoutMs}) to find out when it is back.
 *
 * <p>Why: the journal's few I/O threads are shared by the pipeline's reads and limit counters, the
 * store-and-forward worker and the node's watch. During an outage (a failover, a restart, a host
 * refusing connections) each of them blocked {@code connectionTimeoutMs} per statement, so the
 * requests of terminals queued behind one another for many times that, and terminals timed out
 * (and reversed) instead of hearing 96 (found by {@code DatabaseOutageChaosTest}). Until session
 * 21 the probe was a live caller's own wait: a request whose limit check, write-ahead and
 * give-back each happened to be the probe waited that long three times, past a terminal's timeout.
 *
 * <p>The database counts as out of reach from the first failure to get a connection for a
 * connection reason until a connection is got again (by the probe, or by the pool's own refill
 * once the probe's turn comes). A pool merely exhausted does not count: a wait for a pooled
 * connection that timed out while the database answers (every connection in use, say by a
 * settlement run; HikariCP's timeout then has no cause, since no attempt of the pool to connect
 * failed since its last success) says nothing of the database, and counting it switched the
 * journal to failing at once, refusing live authorisations, until the next probe.
 *
 * <p>Every failure to give a connection is a {@link NoConnectionException}: nothing of the work
 * that asked reached the database, so a write that fails so is certainly not written (the journal
 * reports {@code JournalNotReachedException}, not a write in doubt).
 */
final class FailFastDataSource implements DataSource {
    private final DataSource pool;
    private final AtomicBoolean unreachable = new AtomicBoolean();
    private final AtomicBoolean probing = new AtomicBoolean();

    FailFastDataSource(DataSource pool) {
        this.pool = pool;
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (unreachable.get()) {
            probeSoon();
            throw NoConnectionException.refusal();
        }
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            judge(e);
            throw NoConnectionException.notGot(e);
        }
    }

    /** Out of reach after {@code failure} if it is a connection failure, not a wait for a pooled connection. */
    private void judge(SQLException failure) {
        if (SqlFailures.isConnectionFailure(failure) && !waitedOutAPooledConnection(failure)) {
            unreachable.set(true);
        }
    }

    /** Starts the probe unless one is under way: a connection got (and handed back) makes the database reachable again. */
    private void probeSoon() {
        if (!probing.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("journal-probe").start(() -> {
            try {
                pool.getConnection().close();
                unreachable.set(false);
            } catch (SQLException e) {
                judge(e);
            } finally {
                probing.set(false);
            }
        });
    }

    /**
     * Whether {@code failure} is the pool's timeout waiting for a connection that others hold, with
     * the database answering: HikariCP's {@link SQLTransientConnectionException} carries as its
     * cause the pool's last failure to connect, and none once a connection was made since.
     */
    static boolean waitedOutAPooledConnection(SQLException failure) {
        return failure instanceof SQLTransientConnectionException && failure.getCause() == null;
    }

    /** True from a failure to reach the database for a connection until one is got again. */
    boolean outOfReach() {
        return unreachable.get();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the journal's pool has its own credentials");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : pool.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || pool.isWrapperFor(type);
    }
}
