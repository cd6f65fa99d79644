package io.isoswitch.settlement;

/**
 * Back-pressure: the journal's write queue is full, so the write was refused at once instead of
 * waiting. The caller answers the terminal with a system error rather than queueing without bound.
 */
public final class JournalOverloadedException extends JournalException {
    private static final long serialVersionUID = 1L;

    public JournalOverloadedException(int capacity) {
        super("journal write queue is full (capacity " + capacity + "); write refused", null);
    }
}
