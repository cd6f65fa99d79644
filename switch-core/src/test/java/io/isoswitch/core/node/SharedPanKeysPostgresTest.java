package io.isoswitch.core.node;

import io.isoswitch.core.testing.JournalBackend;

/** {@link SharedPanKeysScenarios} on the real PostgreSQL (a schema of each test's own). */
class SharedPanKeysPostgresTest extends SharedPanKeysScenarios {
    @Override
    JournalBackend backend() {
        return JournalBackend.postgres(SharedPanKeysPostgresTest.class);
    }
}
