package io.isoswitch.core.node;

import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.SwitchFixture;

/**
 * What the scenarios of an approval answered 96 share: PostgreSQL (a schema of the class's own) and
 * a journal network timeout of {@link #NETWORK_TIMEOUT_MS}, past which a commit held by a
 * {@link HeldApprovalCommit} is given up as in doubt and the terminal hears 96.
 */
abstract class Answered96Scenarios extends EndToEndScenarios {
    static final long NETWORK_TIMEOUT_MS = 1_500;

    @Override
    JournalBackend backend() {
        return JournalBackend.postgres(getClass());
    }

    @Override
    SwitchFixture.Options options(SwitchFixture.Options defaults) {
        return defaults.withConfig(c -> OwedReversalAfterKillPostgresTest.withNetworkTimeout(c, NETWORK_TIMEOUT_MS));
    }
}
