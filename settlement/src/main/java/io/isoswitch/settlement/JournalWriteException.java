package io.isoswitch.settlement;

/**
 * The database refused one write for a reason that retrying will not cure: a constraint, a
 * record that does not exist, a value out of range. Only the offending write fails; the other
 * writes of its batch are committed without it.
 */
public sealed class JournalWriteException extends JournalException permits NoSuchJournalRecordException {
    private static final long serialVersionUID = 1L;

    public JournalWriteException(String message, Throwable cause) {
        super(message, cause);
    }
}
