package io.isoswitch.settlement.journal;

/**
 * How the journal's group commit behaves.
 *
 * @param queueCapacity writes that may wait for the writer; one more is refused at once
 *                      ({@link io.isoswitch.settlement.JournalOverloadedException})
 * @param maxBatchSize  most writes committed in one database transaction
 * @param writerThreads writer threads, each with its own connection and queue; a record's writes
 *                      all go to one of them (by its id), so they apply in arrival order. One
 *                      serializes every commit's round trips and flush; several overlap them
 */
public record JournalSettings(int queueCapacity, int maxBatchSize, int writerThreads) {
    public static final int DEFAULT_QUEUE_CAPACITY = 10_000;
    public static final int DEFAULT_MAX_BATCH_SIZE = 256;
    public static final int DEFAULT_WRITER_THREADS = 1;

    public JournalSettings {
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("journal.queueCapacity: expected >= 1, found " + queueCapacity);
        }
        if (maxBatchSize < 1 || maxBatchSize > 10_000) {
            throw new IllegalArgumentException("journal.maxBatchSize: expected 1..10000, found " + maxBatchSize);
        }
        if (writerThreads < 1 || writerThreads > 16) {
            throw new IllegalArgumentException("journal.writerThreads: expected 1..16, found " + writerThreads);
        }
    }

    public static JournalSettings defaults() {
        return new JournalSettings(DEFAULT_QUEUE_CAPACITY, DEFAULT_MAX_BATCH_SIZE, DEFAULT_WRITER_THREADS);
    }
}
