package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.JournalRows;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

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

    /**
     * After node 1 was killed holding a 96's owed reversal: waits until the approval it gave up
     * (terminal {@code terminalId}, {@code stan}) commits, drops the hold, and checks node 1's disk
     * owes its reversal; returns node 1's owed-reversals file.
     */
    Path approvedAfterAllAndOwedOnDisk(String terminalId, String stan) throws IOException {
        fixture.journal().awaitState(terminalId, stan, "APPROVED", Duration.ofSeconds(30));
        backend.execute("DROP TRIGGER hold_approval ON journal");
        Path owedFile = fixture.node().config().journal().owedReversalsFile("node-1");
        assertThat(Files.readString(owedFile)).startsWith("owed ");
        return owedFile;
    }

    /** Starts node 2 and sends it {@code request} (made for the connection given) from {@code terminal}: the answer's code. */
    String answerAtNode2(TerminalDialect dialect, TerminalSide terminal, Function<TerminalSide, IsoMessage> request) throws IOException {
        SwitchNode other = fixture.startAnotherNode("node-2");
        try (TerminalSide atOther = fixture.signedOnAt(other, dialect, terminal.terminalId())) {
            return atOther.send(request.apply(atOther)).getString(39);
        }
    }

    /** Node 1 back: it replays what its disk {@code owedFile} says it owes, until settled and the record not REVERSAL_PENDING. */
    void restartNode1UntilSettled(Path owedFile, String terminalId, String stan) {
        fixture.startAnotherNode("node-1");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(owedFile).contains("settled "));
        await().atMost(Duration.ofSeconds(60)).until(() -> !fixture.journal().find(terminalId, stan)
                .map(JournalRows.Row::state).orElse("").equals("REVERSAL_PENDING"));
    }
}
