package io.isoswitch.core.node;

import io.isoswitch.core.testing.JournalBackend;

/** {@link RepeatedRequestScenarios} on the embedded journal database (H2 in memory). */
class RepeatedRequestTest extends RepeatedRequestScenarios {
    @Override
    JournalBackend backend() {
        return JournalBackend.h2();
    }
}
