package io.isoswitch.settlement;

/**
 * The database could not be reached or the connection broke. If this happened during a commit,
 * the write is in doubt: it may or may not be durable. The switch answers 96 (or 91) and relies
 * on the write-ahead record and crash recovery to settle the doubt. Where the work never got a
 * connection, nothing of it reached the database and there is no doubt:
 * {@link JournalNotReachedException}.
 */
public sealed class JournalUnavailableException extends JournalException permits JournalNotReachedException {
    private static final long serialVersionUID = 1L;

    public JournalUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
