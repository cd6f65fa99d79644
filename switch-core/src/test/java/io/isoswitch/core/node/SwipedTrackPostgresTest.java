package io.isoswitch.core.node;

import io.isoswitch.core.testing.JournalBackend;

/** {@link SwipedTrackScenarios} on the real PostgreSQL (a schema of this class's own). */
class SwipedTrackPostgresTest extends SwipedTrackScenarios {
    @Override
    JournalBackend backend() {
        return JournalBackend.postgres(SwipedTrackPostgresTest.class);
    }
}
