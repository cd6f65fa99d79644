package io.isoswitch.core.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.testing.IssuerSimulator;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Merchant limits on the real PostgreSQL: a merchant's daily amount and count hold across all its
 * terminals and dialects (61, 65), per transaction type (refunds counted apart from purchases),
 * and the merchant's own set replaces its category's whole (the category's 1,000 per-transaction
 * card limit does not apply to it).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MerchantLimitsPostgresTest {
    private static final long MERCHANT_DAILY_PURCHASES = 9_000;
    private static final long MERCHANT_DAILY_REFUNDS = 2;

    @TempDir
    static Path dir;
    private JournalBackend backend;
    private SwitchFixture fixture;

    @BeforeAll
    void start() {
        backend = JournalBackend.postgres(MerchantLimitsPostgresTest.class);
        LimitSet category = new LimitSet(Map.of("*", new LimitRule(1_000, 0, 0)), null, null);
        LimitSet merchant = new LimitSet(null, null, Map.of(
                "PURCHASE", new LimitRule(0, MERCHANT_DAILY_PURCHASES, 0),
                "REFUND", new LimitRule(0, 0, MERCHANT_DAILY_REFUNDS)));
        fixture = SwitchFixture.start(SwitchFixture.Options.of(backend, dir).withCards(6).withLimits(new LimitsConfig(
                Map.of(LimitsConfig.DEFAULT_CATEGORY, category), Map.of(SwitchFixture.MERCHANT, merchant))));
    }

    @AfterAll
    void stop() {
        fixture.close();
        backend.close();
    }

    private static IsoMessage purchase(TerminalSide terminal, IssuedCard card, String stan, long amount) {
        return terminal.requests().purchase(SwitchFixture.read(card), terminal.pinBlock(card.pin(), card.account().pan()), stan, amount);
    }

    @Test
    void aMerchantsDailyAmountHoldsAcrossItsTerminalsAndItsOwnSetReplacesTheCategorys() throws IOException {
        IssuedCard first = fixture.issuer().card(0);
        IssuedCard second = fixture.issuer().card(1);
        TerminalSide iso = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
        TerminalSide cup = fixture.signedOn(TerminalDialect.CUP_POS, 1);
        // 5,000 is over the category's 1,000 per transaction, which the merchant's own set replaces
        IsoMessage bought = iso.send(purchase(iso, first, "000001", 5_000));
        assertThat(bought.getString(39)).isEqualTo("00");
        assertThat(cup.send(purchase(cup, second, "000001", 4_000)).getString(39)).isEqualTo("00");
        assertThat(cup.send(purchase(cup, second, "000002", 1)).getString(39)).isEqualTo("61");
        assertThat(fixture.issuer().available(first)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR - 5_000);
        assertThat(fixture.issuer().available(second)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR - 4_000);

        // refunds are counted apart: two a day at this merchant, whatever the terminal
        String rrn = bought.getString(37);
        assertThat(iso.send(iso.requests().refund(SwitchFixture.read(first), "000002", 100, rrn)).getString(39)).isEqualTo("00");
        assertThat(iso.send(iso.requests().refund(SwitchFixture.read(first), "000003", 100, rrn)).getString(39)).isEqualTo("00");
        assertThat(iso.send(iso.requests().refund(SwitchFixture.read(first), "000004", 100, rrn)).getString(39)).isEqualTo("65");
        assertThat(fixture.issuer().balance(first)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR - 5_000 + 200);
    }
}
