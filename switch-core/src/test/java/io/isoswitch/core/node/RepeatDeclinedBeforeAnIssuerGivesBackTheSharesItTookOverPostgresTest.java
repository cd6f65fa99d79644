package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.limits.LimitRule;
import io.isoswitch.core.limits.LimitSet;
import io.isoswitch.core.limits.LimitsConfig;
import io.isoswitch.core.testing.FailingWrites;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A purchase's limit shares are taken, its journal write fails and so does the give-back of its
 * shares (the database away): its terminal hears 96 and the shares wait for the node's watch round
 * (kept from before the terminal's repeat). The repeat takes the shares over and is declined before
 * any issuer (no route), journaled as a new DECLINED record, or its own write fails too (its record
 * as declined, or as sent to the issuer): nothing stands, so the card's count must go back to 0.
 */
class RepeatDeclinedBeforeAnIssuerGivesBackTheSharesItTookOverPostgresTest extends EndToEndScenarios {
    private static final String NO_ROUTE_PAN = "4111111111111111";

    @Override
    JournalBackend backend() {
        return JournalBackend.postgres(RepeatDeclinedBeforeAnIssuerGivesBackTheSharesItTookOverPostgresTest.class);
    }

    private FailingWrites failing;

    @BeforeEach
    void failingWrites() {
        failing = refusingRecords(backend);
    }

    /**
     * {@link FailingWrites} in {@code backend}, the records of the requests it names refused as well
     * ({@code failing_records}: FailingWrites refuses only their move out of SENT); every card counts from 0.
     */
    static FailingWrites refusingRecords(JournalBackend backend) {
        backend.execute("DROP TABLE IF EXISTS failing_writes CASCADE");
        backend.execute("DROP TABLE IF EXISTS failing_records CASCADE");
        backend.execute("DROP FUNCTION IF EXISTS fail_outcome() CASCADE");
        backend.execute("DROP FUNCTION IF EXISTS fail_give_back() CASCADE");
        backend.execute("DROP FUNCTION IF EXISTS fail_record() CASCADE");
        backend.execute("DELETE FROM limit_contribution"); // each test's card counts from 0 (one card, no route)
        backend.execute("DELETE FROM limit_counter");
        FailingWrites failing = FailingWrites.install(backend);
        // the request's record refused as well (FailingWrites refuses only its move out of SENT)
        backend.execute("CREATE TABLE failing_records (terminal_id VARCHAR(16) NOT NULL, stan VARCHAR(6) NOT NULL)");
        backend.execute("CREATE FUNCTION fail_record() RETURNS trigger AS $$ BEGIN IF EXISTS (SELECT 1 FROM failing_records f"
                + " WHERE f.terminal_id = NEW.terminal_id AND f.stan = NEW.stan) THEN RAISE EXCEPTION 'record refused'; END IF;"
                + " RETURN NEW; END $$ LANGUAGE plpgsql");
        backend.execute("CREATE TRIGGER fail_record BEFORE INSERT ON journal FOR EACH ROW EXECUTE FUNCTION fail_record()");
        return failing;
    }

    @Override
    SwitchFixture.Options options(SwitchFixture.Options defaults) {
        LimitSet onePurchasePerCard = new LimitSet(Map.of("PURCHASE", new LimitRule(0, 0, 1)), Map.of(), Map.of());
        return defaults.withLimits(new LimitsConfig(Map.of(LimitsConfig.DEFAULT_CATEGORY, onePurchasePerCard), null));
    }

    /**
     * Regression: the repeat took the shares over (their time its own, so the watch round's give-back
     * of the first attempt left them), was journaled DECLINED as a new record, and gave back nothing
     * it had taken over: the card counted a purchase that never stood for the rest of the day.
     */
    @Test
    void theCardCountsNothingOnceTheRepeatIsJournaledDeclinedAndTheDatabaseIsBack() throws Exception {
        assertThat(repeatAfterA96(false)).as("the repeat, journaled declined: no route").isEqualTo("15");
        failing.recover();
        awaitNothingCounted();
    }

    /**
     * Regression: the repeat took the shares over and its own record was refused too (96): whether it
     * has a record unknown, it kept them, and the card counted a purchase that never stood all day.
     */
    @Test
    void theCardCountsNothingOnceTheRepeatWhoseRecordFailedTooIsPastAndTheDatabaseIsBack() throws Exception {
        assertThat(repeatAfterA96(true)).as("the repeat, its record refused too").isEqualTo("96");
        backend.execute("DELETE FROM failing_records");
        failing.recover();
        awaitNothingCounted();
    }

    /**
     * Regression: the repeat took the shares over and its record as sent to the issuer was refused
     * (96), so whether it has a record was unknown: it kept them, and the card counted a purchase that
     * never stood all day.
     */
    @Test
    void theCardCountsNothingOnceTheRepeatWhoseSentRecordFailedIsPastAndTheDatabaseIsBack() throws Exception {
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
        String stan = stan();
        IsoMessage purchase = terminal.requests().purchase(SwitchFixture.read(card()), null, stan, 1_000);
        assertThat(repeatAfterA96(backend, failing, terminal, purchase, true)).as("the repeat, its record as sent refused too")
                .isEqualTo("96");
        backend.execute("DELETE FROM failing_records");
        failing.recover();
        awaitNothingCounted();
    }

    /**
     * A purchase that routes nowhere, its record and the give-back of its shares refused (96), then
     * its repeat, its record refused too if {@code recordFailsAgain}; returns the repeat's code.
     */
    private String repeatAfterA96(boolean recordFailsAgain) throws Exception {
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
        String stan = stan();
        IsoMessage purchase = new IsoMessage("0200").set(2, NO_ROUTE_PAN).set(3, "000000").set(4, "000000001000")
                .set(11, stan).set(14, "3012").set(22, "021").set(41, terminal.terminalId())
                .set(42, SwitchFixture.MERCHANT).set(49, "156");
        return repeatAfterA96(backend, failing, terminal, purchase, recordFailsAgain);
    }

    /**
     * {@code purchase} (field 41 and 11 its request), its record and the give-back of its shares
     * refused (96), then its repeat, its record refused too if {@code recordFailsAgain}; returns the
     * repeat's code.
     */
    static String repeatAfterA96(JournalBackend backend, FailingWrites failing, TerminalSide terminal, IsoMessage purchase,
                                 boolean recordFailsAgain) throws Exception {
        String terminalId = purchase.getString(41);
        String stan = purchase.getString(11);
        failing.fail(terminalId, stan);
        backend.execute("INSERT INTO failing_records VALUES ('" + terminalId + "', '" + stan + "')");
        assertThat(terminal.send(purchase).getString(39)).as("its record and its give-back refused").isEqualTo("96");
        assertThat(cardPurchasesCounted(backend)).as("its share kept to give back later").isEqualTo(1);
        if (!recordFailsAgain) {
            backend.execute("DELETE FROM failing_records");
        }
        return terminal.send(purchase).getString(39);
    }

    private void awaitNothingCounted() {
        awaitNothingCounted(backend);
    }

    static void awaitNothingCounted(JournalBackend backend) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(cardPurchasesCounted(backend))
                .as("the card's purchases counted once the watch round has given back what nothing stands for").isZero());
    }

    /** The purchase count of the day of every card (each test's one card: the counters are emptied before each). */
    static long cardPurchasesCounted(JournalBackend backend) throws SQLException {
        try (Connection c = backend.connect(); PreparedStatement s = c.prepareStatement("SELECT COALESCE(SUM(txn_count), 0)"
                + " FROM limit_counter WHERE key_kind = 'CARD' AND transaction_type = 'PURCHASE'")) {
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
