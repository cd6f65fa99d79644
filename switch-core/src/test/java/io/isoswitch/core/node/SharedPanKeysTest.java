package io.isoswitch.core.node;

import io.isoswitch.core.testing.JournalBackend;

/** {@link SharedPanKeysScenarios} on the embedded journal database (H2 in memory). */
class SharedPanKeysTest extends SharedPanKeysScenarios {
    @Override
    JournalBackend backend() {
        return JournalBackend.h2();
    }
}
