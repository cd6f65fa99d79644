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
 * caller fails at once, and a probe on a thread of its own tries for a connection (each try up to
 * {@code journal.connectionTimeoutMs}, {@value #PROBE_PAUSE_MS} ms apart) until it gets one, so that
 * the first caller after the outage finds the database back without having to ask for it.
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
 * connection reason until the probe gets a connection again, or finds the pool merely busy. A pool merely exhausted does not count: a wait for a pooled
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
    private volatile boolean closed;
    /** Between a probe's failed tries (each waits up to the pool's connection timeout). */
    static final long PROBE_PAUSE_MS = 100;

    FailFastDataSource(DataSource pool) {
        this.pool = pool;
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (unreachable.get()) {
            probeUntilReached();
            throw NoConnectionException.refusal();
        }
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            if (SqlFailures.isConnectionFailure(e) && !waitedOutAPooledConnection(e)) {
                unreachable.set(true);
                probeUntilReached();
            }
            throw NoConnectionException.notGot(e);
        }
    }

    /**
     * Starts the probe unless one is under way or the journal is closed: it tries for a connection
     * until it gets one (handed back at once) or finds the pool only busy (the database answers),
     * and then the database is reachable again.
     */
    private void probeUntilReached() {
        if (closed || !probing.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("journal-probe").start(() -> {
            try {
                while (unreachable.get() && !closed) {
                    try {
                        pool.getConnection().close();
                        unreachable.set(false);
                    } catch (SQLException e) {
                        if (waitedOutAPooledConnection(e)) {
                            unreachable.set(false);
                        } else {
                            Thread.sleep(PROBE_PAUSE_MS);
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                probing.set(false);
            }
        });
    }

    /** The journal is closing: no probe starts or goes on. */
    void close() {
        closed = true;
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
