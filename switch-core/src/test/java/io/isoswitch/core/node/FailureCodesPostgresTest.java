package io.isoswitch.core.node;

import io.isoswitch.core.testing.JournalBackend;

/** {@link FailureCodesScenarios} on the real PostgreSQL (a schema of this class's own). */
class FailureCodesPostgresTest extends FailureCodesScenarios {
    @Override
    JournalBackend backend() {
        return JournalBackend.postgres(FailureCodesPostgresTest.class);
    }
}
