package io.isoswitch.core.saf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.core.testing.FreshSwitchPerTest;
import io.isoswitch.core.testing.JournalRows;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalRequests;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.codec.IsoMessage;
import io.isoswitch.security.KeyAlgorithm;
import io.isoswitch.security.KeyKind;
import io.isoswitch.security.SecureKey;
import io.isoswitch.settlement.saf.StoreAndForwardQueue;
import io.isoswitch.sim.fault.FaultPlan;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A queued reversal the switch cannot build (its record's PAN no longer decrypts under the data
 * key, or is under a data key this node does not hold) waits on its own: it waits for its retry
 * with the reason, and a reversal queued behind it for the same issuer is delivered all the same.
 */
class EntryThatCannotBeBuiltTest extends FreshSwitchPerTest {
    private TerminalSide terminal;

    @Override
    protected SwitchFixture.Options options(SwitchFixture.Options defaults) {
        // one entry out at a time: the entry behind the failing one can only go if the failure lets it pass
        return defaults.withIssuerTimeoutMs(300)
                .withConfig(c -> c.withIssuers(c.issuers().stream().map(issuer -> issuer.withSafWindow(1)).toList()));
    }

    /**
     * Regression: an entry that could not be built failed as if the link had: it waited for its
     * retry holding back everything behind it, and each retry round probed with it alone, so the
     * issuer's later reversals were never sent.
     */
    @Test
    void aReversalThatCannotBeBuiltDoesNotHoldTheReversalsQueuedBehindIt() throws Exception {
        reversalPendingOf000101();

        // its card no longer decrypts under the data key: its reversal cannot be built as it stands
        execute("UPDATE journal SET pan_ciphertext = ? WHERE terminal_id = ? AND stan = '000101'", new byte[40], terminal.terminalId());
        execute("UPDATE saf_queue SET last_error = NULL WHERE journal_id = (SELECT id FROM journal WHERE terminal_id = ? AND stan = '000101')",
                terminal.terminalId());
        fixture.issuer().faults(FaultPlan.none());
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> lastError("000101") != null);

        // a purchase approved now and reversed by its terminal: its reversal is queued behind the one that fails
        IsoMessage purchase = terminal.pinPurchase(fixture.issuer().card(1), "000102", 2_345);
        assertThat(terminal.send(purchase).getString(39)).isEqualTo("00");
        assertThat(terminal.send(TerminalRequests.reversalOf(purchase, "000103")).getString(39)).isEqualTo("00");

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> state("000102").equals("REVERSED"));
        assertThat(state("000101")).isEqualTo("REVERSAL_PENDING");
        assertThat(lastError("000101")).startsWith(StoreAndForwardWorker.CANNOT_BUILD);
        assertThat(fixture.node().registry().get(AbandonedEntries.METRIC).tag("issuer", SwitchFixture.ISSUER)
                .tag("reason", AbandonedEntries.RETRY_STOP).counter().count()).as("not yet past its retry stop").isZero();
    }

    /**
     * Regression: a card encrypted under a data key this node does not hold (a rotation, or written by
     * a node with another key) made the issuer's whole queue wait behind its entry, with no end: every
     * reversal queued after it was held (cardholders' money with it) until operations stepped in.
     * Only the entries under that key fail: it is set aside alone, counted, with no retry stop (not
     * abandoned), the reversal behind it is delivered, and it goes once the key is back.
     */
    @Test
    void aCardUnderADataKeyThisNodeLacksIsSetAsideAloneWithNoRetryStopAndTheQueueBehindItGoes() throws Exception {
        reversalPendingOf000101();
        String record = "(SELECT id FROM journal WHERE terminal_id = ? AND stan = '000101')";
        byte[] ciphertext;
        String keyId;
        try (Connection c = backend.connect();
             PreparedStatement s = c.prepareStatement("SELECT pan_ciphertext, data_key_id FROM journal WHERE id = " + record)) {
            s.setString(1, terminal.terminalId());
            try (ResultSet r = s.executeQuery()) {
                assertThat(r.next()).isTrue();
                ciphertext = r.getBytes(1);
                keyId = r.getString(2);
            }
        }
        // its card as another data key encrypted it, one this node does not hold
        SecureKey foreign = fixture.hsm().generateKey(KeyKind.DATA, KeyAlgorithm.AES_256);
        execute("UPDATE journal SET pan_ciphertext = ?, data_key_id = ? WHERE id = " + record,
                fixture.hsm().encryptPan(foreign, "4761739001010119"), foreign.kcv(), terminal.terminalId());
        execute("UPDATE saf_queue SET last_error = NULL WHERE journal_id = " + record, terminal.terminalId());
        fixture.issuer().faults(FaultPlan.none());
        // (an attempt still out when the issuer was told to answer may yet write its own reason)
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> lastError("000101") != null && !lastError("000101").equals("no acknowledgement"));

        // a reversal queued behind it, for the same issuer, is delivered while it waits
        IsoMessage purchase = terminal.pinPurchase(fixture.issuer().card(1), "000102", 2_345);
        assertThat(terminal.send(purchase).getString(39)).isEqualTo("00");
        assertThat(terminal.send(TerminalRequests.reversalOf(purchase, "000103")).getString(39)).isEqualTo("00");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> state("000102").equals("REVERSED"));

        assertThat(state("000101")).isEqualTo("REVERSAL_PENDING");
        assertThat(lastError("000101")).startsWith(StoreAndForwardQueue.SET_ASIDE + StoreAndForwardWorker.DATA_KEY_UNAVAILABLE)
                .contains(foreign.kcv());
        assertThat(queued("000101", "failed_alone_since")).as("no retry stop runs").isNull();
        assertThat(fixture.node().registry().get(StoreAndForwardWorker.DATA_KEY_METRIC).tag("issuer", SwitchFixture.ISSUER)
                .counter().count()).isGreaterThanOrEqualTo(1);

        // the key is back (a node holding it would do the same): it goes, and nothing was abandoned
        execute("UPDATE journal SET pan_ciphertext = ?, data_key_id = ? WHERE id = " + record, ciphertext, keyId, terminal.terminalId());
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> state("000101").equals("REVERSED"));
        assertThat(fixture.node().registry().get(AbandonedEntries.METRIC).tag("issuer", SwitchFixture.ISSUER)
                .tag("reason", AbandonedEntries.RETRY_STOP).counter().count()).isZero();
    }

    /** A purchase the issuer does not answer: its record REVERSAL_PENDING, its reversal queued. */
    private void reversalPendingOf000101() throws Exception {
        terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
        fixture.issuer().faults(FaultPlan.none().withNoAnswerShare(1.0));
        assertThat(terminal.send(terminal.pinPurchase(fixture.issuer().card(0), "000101", 1_234)).getString(39)).isEqualTo("91");
        await().atMost(Duration.ofSeconds(30)).until(() -> state("000101").equals("REVERSAL_PENDING"));
    }

    private void execute(String sql, Object... values) throws Exception {
        try (Connection c = backend.connect(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                s.setObject(i + 1, values[i]);
            }
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
    }

    private String state(String stan) {
        return fixture.journal().find(terminal.terminalId(), stan).map(JournalRows.Row::state).orElse("");
    }

    private String lastError(String stan) throws Exception {
        return (String) queued(stan, "last_error");
    }

    /** {@code column} of the pending queue entry of the record of {@code stan}. */
    private Object queued(String stan, String column) throws Exception {
        try (Connection c = backend.connect();
             PreparedStatement s = c.prepareStatement("SELECT q." + column + " FROM saf_queue q JOIN journal j ON j.id = q.journal_id"
                     + " WHERE j.terminal_id = ? AND j.stan = ? AND q.state = 'PENDING'")) {
            s.setString(1, terminal.terminalId());
            s.setString(2, stan);
            try (ResultSet r = s.executeQuery()) {
                assertThat(r.next()).isTrue();
                return r.getObject(1);
            }
        }
    }
}
