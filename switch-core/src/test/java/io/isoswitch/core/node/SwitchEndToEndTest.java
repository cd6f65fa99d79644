package io.isoswitch.core.node;

import io.isoswitch.core.testing.JournalBackend;

/** {@link SwitchEndToEndScenarios} on the embedded journal database (H2 in memory). */
class SwitchEndToEndTest extends SwitchEndToEndScenarios {
    @Override
    JournalBackend backend() {
        return JournalBackend.h2();
    }
}
