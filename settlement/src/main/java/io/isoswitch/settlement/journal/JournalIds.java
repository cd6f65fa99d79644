package io.isoswitch.settlement.journal;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.NoArgGenerator;
import java.util.UUID;

/**
 * Ids of new journal rows: time-ordered UUIDs (RFC 9562 version 7: 48 bits of Unix milliseconds,
 * then 74 random bits drawn afresh for each id). The journal is never trimmed and its primary key
 * (also the key of {@code journal_in_flight}) takes every new row: with random (version 4) ids each
 * insert lands on a random leaf of an index far larger than the buffer cache, and after each
 * checkpoint PostgreSQL logs a full image of every leaf it touches again. Time-ordered ids go to
 * the index's right edge, the few pages of the current millisecond.
 */
public final class JournalIds {
    private static final NoArgGenerator GENERATOR = Generators.timeBasedEpochRandomGenerator();

    private JournalIds() {}

    /** A new row's id; thread-safe, unique across nodes (by its random bits). */
    public static UUID next() {
        return GENERATOR.generate();
    }
}
