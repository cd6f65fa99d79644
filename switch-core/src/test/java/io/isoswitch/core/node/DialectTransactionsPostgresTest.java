package io.isoswitch.core.node;

import io.isoswitch.core.testing.JournalBackend;

/** {@link DialectTransactionsScenarios} on the real PostgreSQL (a schema of this class's own). */
class DialectTransactionsPostgresTest extends DialectTransactionsScenarios {
    @Override
    JournalBackend backend() {
        return JournalBackend.postgres(DialectTransactionsPostgresTest.class);
    }
}
