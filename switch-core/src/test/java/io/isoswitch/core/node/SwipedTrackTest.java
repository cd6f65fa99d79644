package io.isoswitch.core.node;

import io.isoswitch.core.testing.JournalBackend;

/** {@link SwipedTrackScenarios} on the embedded journal database (H2 in memory). */
class SwipedTrackTest extends SwipedTrackScenarios {
    @Override
    JournalBackend backend() {
        return JournalBackend.h2();
    }
}
