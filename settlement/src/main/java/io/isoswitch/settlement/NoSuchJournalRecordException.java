package io.isoswitch.settlement;

/**
 * A write named a journal record the database does not hold (as this transaction sees it): a
 * transition or outcome of a record whose own write never committed, or not yet visible. Retrying
 * the same write changes nothing until the record appears; a caller that owes the record something
 * decides how long to wait for it (see {@code UnknownOutcomes} in switch-core).
 */
public final class NoSuchJournalRecordException extends JournalWriteException {
    private static final long serialVersionUID = 1L;

    public NoSuchJournalRecordException(String message) {
        super(message, null);
    }
}
