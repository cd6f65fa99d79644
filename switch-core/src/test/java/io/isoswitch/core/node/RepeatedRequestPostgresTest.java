package io.isoswitch.core.node;

import io.isoswitch.core.testing.JournalBackend;

/** {@link RepeatedRequestScenarios} on the real PostgreSQL (a schema of this class's own). */
class RepeatedRequestPostgresTest extends RepeatedRequestScenarios {
    @Override
    JournalBackend backend() {
        return JournalBackend.postgres(RepeatedRequestPostgresTest.class);
    }
}
