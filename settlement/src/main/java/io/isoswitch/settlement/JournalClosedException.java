package io.isoswitch.settlement;

/** A write or read was submitted to a journal that is closed or closing. */
public final class JournalClosedException extends JournalException {
    private static final long serialVersionUID = 1L;

    public JournalClosedException(String what) {
        super(what + ": the journal is closed", null);
    }
}
