package io.isoswitch.core.node;

import io.isoswitch.core.testing.JournalBackend;

/** {@link IssuerApprovalCodesScenarios} on the real PostgreSQL (a schema of this class's own). */
class IssuerApprovalCodesPostgresTest extends IssuerApprovalCodesScenarios {
    @Override
    JournalBackend backend() {
        return JournalBackend.postgres(IssuerApprovalCodesPostgresTest.class);
    }
}
