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
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The race of a 96 and a repeat at another node, on PostgreSQL: node 1's write of an issuer's
 * approval is in doubt (its commit held past the journal's network timeout by a trigger on an
 * advisory lock), so its terminal hears 96 and the approval is owed its reversal; the commit goes
 * through, and the terminal's repeat reaches another node, which answers it 00 from the record,
 * while node 1's give-back of what the request took (if it makes one) is held and its database
 * refuses its owed reversal. Then node 1 settles the reversal owed, finding the approval told to a
 * repeat: it stands.
 */
final class RepeatAtAnotherNodeAfterA96 {
    private RepeatAtAnotherNodeAfterA96() {}

    /**
     * {@code request} answered 96 at node 1 (its approval's commit held past the network timeout),
     * then its repeat answered 00 at node {@code otherNode} from the record the commit made, while
     * node 1's give-back of what the request took (if any) and its owed reversal wait; then node 1
     * settles the reversal owed.
     */
    static void run(SwitchFixture fixture, JournalBackend backend, TerminalDialect dialect, TerminalSide terminal, String stan,
                    IsoMessage request, String otherNode) throws Exception {
        run(fixture, backend, dialect, terminal, stan, request, otherNode, "APPROVED");
    }

    /**
     * {@link #run} of an approval that ends in state {@code approved}: APPROVED (an issuer's, its
     * outcome's commit held) or STAND_IN_APPROVED (the switch's, the commit of the record held).
     */
    static void run(SwitchFixture fixture, JournalBackend backend, TerminalDialect dialect, TerminalSide terminal, String stan,
                    IsoMessage request, String otherNode, String approved) throws Exception {
        long commitLock = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        long giveBackLock = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        if (approved.equals("STAND_IN_APPROVED")) {
            OwedReversalAfterKillPostgresTest.holdRecordCommit(backend, terminal.terminalId(), stan, commitLock);
        } else {
            OwedReversalAfterKillPostgresTest.holdApprovalCommit(backend, terminal.terminalId(), stan, commitLock);
        }
        backend.execute("CREATE FUNCTION hold_give_back() RETURNS trigger AS $$ BEGIN "
                + "IF OLD.contributor LIKE '" + terminal.terminalId() + "|" + stan + "|%' THEN "
                + "PERFORM pg_advisory_xact_lock_shared(" + giveBackLock + "); END IF; RETURN OLD; END $$ LANGUAGE plpgsql");
        backend.execute("CREATE TRIGGER hold_give_back BEFORE DELETE ON limit_contribution FOR EACH ROW EXECUTE FUNCTION hold_give_back()");
        // node 1's database refuses its owed reversal until the repeat is answered (node 1 slow to reach it)
        backend.execute("CREATE FUNCTION refuse_reversal() RETURNS trigger AS $$ BEGIN "
                + "IF NEW.state = 'REVERSAL_PENDING' AND NEW.terminal_id = '" + terminal.terminalId() + "' AND NEW.stan = '" + stan
                + "' THEN RAISE EXCEPTION 'database out'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql");
        backend.execute("CREATE TRIGGER refuse_reversal BEFORE UPDATE ON journal FOR EACH ROW EXECUTE FUNCTION refuse_reversal()");
        SwitchNode other = fixture.startAnotherNode(otherNode);
        CompletableFuture<String> first;
        try (Connection lockHolder = backend.connect(); Statement s = lockHolder.createStatement();
             TerminalSide atOther = new TerminalSide(dialect, other.terminalPorts().get(dialect.ordinal()), fixture.hsm(), fixture.tmk(),
                     terminal.terminalId())) {
            s.execute("SELECT pg_advisory_lock(" + commitLock + "), pg_advisory_lock(" + giveBackLock + ")");
            first = CompletableFuture.supplyAsync(() -> {
                try {
                    return terminal.send(request).getString(39);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> first.isDone() || waitsFor(backend, giveBackLock));
            s.execute("SELECT pg_advisory_unlock(" + commitLock + ")");
            await().atMost(Duration.ofSeconds(30)).until(() -> fixture.journal().find(terminal.terminalId(), stan)
                    .map(JournalRows.Row::state).orElse("").equals(approved));
            // the terminal moves to the other node and signs on there (which ends its session at node 1)
            assertThat(atOther.signOn("000001")).isEqualTo("00");
            assertThat(atOther.send(request).getString(39)).as("the repeat, answered from the approved record").isEqualTo("00");
            s.execute("SELECT pg_advisory_unlock(" + giveBackLock + ")");
        } finally {
            backend.execute("DROP TRIGGER IF EXISTS hold_approval ON journal");
            backend.execute("DROP FUNCTION IF EXISTS hold_approval()");
            backend.execute("DROP TRIGGER IF EXISTS hold_insert ON journal");
            backend.execute("DROP FUNCTION IF EXISTS hold_insert()");
            backend.execute("DROP TRIGGER IF EXISTS hold_give_back ON limit_contribution");
            backend.execute("DROP FUNCTION IF EXISTS hold_give_back()");
            backend.execute("DROP TRIGGER IF EXISTS refuse_reversal ON journal");
            backend.execute("DROP FUNCTION IF EXISTS refuse_reversal()");
        }
        assertThat(first.get(30, TimeUnit.SECONDS)).as("node 1's answer").isEqualTo("96");
        // node 1's owed reversal finds the approval told to a repeat: it stands, with its shares
        Path owedFile = fixture.node().config().journal().owedReversalsFile("node-1");
        String settled = "settled " + idOf(backend, terminal.terminalId(), stan);
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(owedFile).contains(settled));
        assertThat(fixture.journal().find(terminal.terminalId(), stan).map(JournalRows.Row::state)).contains(approved);
        // back at node 1 it signs on again, as a terminal moved between nodes does
        assertThat(terminal.signOn("000002")).isEqualTo("00");
    }

    /** Whether a session waits for advisory lock {@code key} (a 32-bit key: its objid). */
    private static boolean waitsFor(JournalBackend backend, long key) throws SQLException {
        try (Connection c = backend.connect(); PreparedStatement s = c.prepareStatement(
                "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid = 0 AND objid = ?")) {
            s.setLong(1, key);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1) > 0;
            }
        }
    }

    private static String idOf(JournalBackend backend, String terminalId, String stan) throws SQLException {
        try (Connection c = backend.connect();
             PreparedStatement s = c.prepareStatement("SELECT id FROM journal WHERE terminal_id = ? AND stan = ? AND mti_class NOT LIKE '9%'")) {
            s.setString(1, terminalId);
            s.setString(2, stan);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getString(1);
            }
        }
    }
}
