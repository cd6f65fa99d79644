package io.isoswitch.core.node;

import io.isoswitch.core.testing.JournalBackend;

/** {@link SignOnAtAnotherNodeScenarios} on the real PostgreSQL (a schema of this class's own). */
class SignOnAtAnotherNodePostgresTest extends SignOnAtAnotherNodeScenarios {
    @Override
    JournalBackend backend() {
        return JournalBackend.postgres(SignOnAtAnotherNodePostgresTest.class);
    }
}
