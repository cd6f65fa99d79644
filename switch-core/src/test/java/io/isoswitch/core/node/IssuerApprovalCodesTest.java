package io.isoswitch.core.node;

import io.isoswitch.core.testing.JournalBackend;

/** {@link IssuerApprovalCodesScenarios} on the embedded journal database (H2 in memory). */
class IssuerApprovalCodesTest extends IssuerApprovalCodesScenarios {
    @Override
    JournalBackend backend() {
        return JournalBackend.h2();
    }
}
