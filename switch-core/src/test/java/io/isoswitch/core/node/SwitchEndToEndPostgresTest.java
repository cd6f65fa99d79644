package io.isoswitch.core.node;

import io.isoswitch.core.testing.JournalBackend;

/** {@link SwitchEndToEndScenarios} on the real PostgreSQL (a schema of this class's own). */
class SwitchEndToEndPostgresTest extends SwitchEndToEndScenarios {
    @Override
    JournalBackend backend() {
        return JournalBackend.postgres(SwitchEndToEndPostgresTest.class);
    }
}
