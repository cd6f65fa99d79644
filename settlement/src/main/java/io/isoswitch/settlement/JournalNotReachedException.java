package io.isoswitch.settlement;

/**
 * The database is away and this work never reached it: no connection could be had (refused at
 * once while the database is known to be out of reach, or the pool's own wait for a connection
 * failed), so not one statement of it was sent. Unlike a connection lost during a statement or the
 * commit ({@link JournalUnavailableException}), this is a certain failure, not a doubt: nothing was
 * written, and a record the work would have made does not exist and never will.
 */
public final class JournalNotReachedException extends JournalUnavailableException {
    private static final long serialVersionUID = 1L;

    public JournalNotReachedException(String message, Throwable cause) {
        super(message, cause);
    }
}
