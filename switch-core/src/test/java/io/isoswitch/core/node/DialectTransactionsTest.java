package io.isoswitch.core.node;

import io.isoswitch.core.testing.JournalBackend;

/** {@link DialectTransactionsScenarios} on the embedded journal database (H2 in memory). */
class DialectTransactionsTest extends DialectTransactionsScenarios {
    @Override
    JournalBackend backend() {
        return JournalBackend.h2();
    }
}
