package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.limits.LimitRule;
import io.isoswitch.core.limits.LimitSet;
import io.isoswitch.core.limits.LimitsConfig;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A refund that stands (approved, journaled) whose daily shares are no longer held under its
 * identity (given back by a node that took it for failed: docs/journal.md, clock skew), and whose
 * purchase has since been refunded in full by another refund. The terminal repeats the first
 * refund: the repeat takes its daily shares anew, its purchase refuses it (13), and the journal
 * answers it from the record that stands, 00. What it took is then the approval's count.
 */
class RepeatOfAStandingRefundItsPurchaseRefusesKeepsItsCountsPostgresTest extends EndToEndScenarios {
    private static final long PURCHASE = 5_000;
    private static final long FIRST_REFUND = 2_000;

    @Override
    JournalBackend backend() {
        return JournalBackend.postgres(RepeatOfAStandingRefundItsPurchaseRefusesKeepsItsCountsPostgresTest.class);
    }

    @Override
    SwitchFixture.Options options(SwitchFixture.Options defaults) {
        LimitSet tenRefundsPerCard = new LimitSet(Map.of("REFUND", new LimitRule(0, 0, 10)), Map.of(), Map.of());
        return defaults.withLimits(new LimitsConfig(Map.of(LimitsConfig.DEFAULT_CATEGORY, tenRefundsPerCard), null));
    }

    /**
     * Regression: a link decline was journaled first and then given back whatever the journal
     * answered, so the repeat answered 00 from the record lost the counts it had just taken: the
     * card counted one refund for two that stand.
     */
    @Test
    void theRepeatAnsweredApprovedFromItsRecordKeepsTheCountsItTook() throws Exception {
        IssuedCard card = card();
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
        IsoMessage purchase = terminal.send(terminal.pinPurchase(card, stan(), PURCHASE));
        assertThat(purchase.getString(39)).isEqualTo("00");
        String rrn = purchase.getString(37).trim();
        String firstStan = stan();
        IsoMessage first = terminal.requests().refund(SwitchFixture.read(card), firstStan, FIRST_REFUND, rrn);
        assertThat(terminal.send(first).getString(39)).isEqualTo("00");
        assertThat(cardRefundsCounted()).isEqualTo(1);

        giveBackSharesOf(terminal.terminalId() + "|" + firstStan + "|");
        assertThat(terminal.send(terminal.requests().refund(SwitchFixture.read(card), stan(), PURCHASE, rrn)).getString(39))
                .as("a refund of all of the purchase, the first one's share gone").isEqualTo("00");
        assertThat(cardRefundsCounted()).isEqualTo(1);

        assertThat(terminal.send(first).getString(39)).as("the first refund's repeat, answered from its record").isEqualTo("00");
        assertThat(cardRefundsCounted()).as("the card's refunds that stand").isEqualTo(2);
    }

    /** Deletes every share of the contributor whose identity starts with {@code identityPrefix}, and takes it off its counter. */
    private void giveBackSharesOf(String identityPrefix) throws SQLException {
        try (Connection c = backend.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement counters = c.prepareStatement("UPDATE limit_counter k SET txn_count = k.txn_count - 1,"
                    + " amount_minor = k.amount_minor - s.amount_minor FROM limit_contribution s"
                    + " WHERE s.key_kind = k.key_kind AND s.key_value = k.key_value AND s.business_date = k.business_date"
                    + " AND s.transaction_type = k.transaction_type AND s.currency = k.currency AND s.contributor LIKE ?");
                 PreparedStatement shares = c.prepareStatement("DELETE FROM limit_contribution WHERE contributor LIKE ?")) {
                counters.setString(1, identityPrefix + "%");
                shares.setString(1, identityPrefix + "%");
                assertThat(counters.executeUpdate()).as("counters the first refund counted in").isPositive();
                assertThat(shares.executeUpdate()).as("the first refund's shares").isPositive();
            }
            c.commit();
        }
    }

    private long cardRefundsCounted() throws SQLException {
        try (Connection c = backend.connect(); PreparedStatement s = c.prepareStatement("SELECT COALESCE(SUM(txn_count), 0)"
                + " FROM limit_counter WHERE key_kind = 'CARD' AND transaction_type = 'REFUND'");
             ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }
}
