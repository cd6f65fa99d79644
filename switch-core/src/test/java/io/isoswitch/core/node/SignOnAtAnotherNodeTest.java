package io.isoswitch.core.node;

import io.isoswitch.core.testing.JournalBackend;

/** {@link SignOnAtAnotherNodeScenarios} on the embedded journal database (H2 in memory, shared by both nodes). */
class SignOnAtAnotherNodeTest extends SignOnAtAnotherNodeScenarios {
    @Override
    JournalBackend backend() {
        return JournalBackend.h2();
    }
}
