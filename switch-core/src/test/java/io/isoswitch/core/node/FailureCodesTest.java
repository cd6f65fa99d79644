package io.isoswitch.core.node;

import io.isoswitch.core.testing.JournalBackend;

/** {@link FailureCodesScenarios} on the embedded journal database (H2 in memory). */
class FailureCodesTest extends FailureCodesScenarios {
    @Override
    JournalBackend backend() {
        return JournalBackend.h2();
    }
}
