package io.isoswitch.core.limits;

import static io.isoswitch.core.testing.TerminalRequests.unionPayReversalOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.testing.IssuerSimulator;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Limits on the real PostgreSQL, through the whole switch: per transaction (13), daily amount per
 * card (61), daily count per terminal (65); declines by the issuer give back what they took, and
 * a repeat does not count twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LimitsEndToEndTest {
    private static final long PER_TRANSACTION = 50_000;
    private static final long CARD_DAILY = 10_000;
    private static final long TERMINAL_DAILY_COUNT = 6;

    @TempDir
    static Path dir;
    private JournalBackend backend;
    private SwitchFixture fixture;

    @BeforeAll
    void start() {
        backend = JournalBackend.postgres(LimitsEndToEndTest.class);
        LimitSet limits = new LimitSet(
                Map.of("PURCHASE", new LimitRule(PER_TRANSACTION, CARD_DAILY, 0)),
                Map.of("*", new LimitRule(0, 0, TERMINAL_DAILY_COUNT)),
                Map.of());
        fixture = SwitchFixture.start(SwitchFixture.Options.of(backend, dir).withTerminalsPerDialect(4)
                .withLimits(new LimitsConfig(Map.of(LimitsConfig.DEFAULT_CATEGORY, limits), null)));
    }

    @AfterAll
    void stop() {
        fixture.close();
        backend.close();
    }

    private static IsoMessage purchase(TerminalSide terminal, IssuedCard card, String pin, String stan, long amount) {
        return terminal.requests().purchase(SwitchFixture.read(card), terminal.pinBlock(pin, card.account().pan()), stan, amount);
    }

    @Test
    void anAmountOverThePerTransactionLimitIsDeclined13AndNeverReachesTheIssuer() throws IOException {
        IssuedCard card = fixture.issuer().card(0);
        try (TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1)) {
            assertThat(terminal.send(purchase(terminal, card, card.pin(), "000001", PER_TRANSACTION + 1)).getString(39)).isEqualTo("13");
        }
        assertThat(fixture.issuer().available(card)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR);
    }

    @Test
    void aCardStopsAtItsDailyAmountAndDeclinesAndRepeatsDoNotCount() throws IOException {
        IssuedCard card = fixture.issuer().card(1);
        String wrong = card.pin().equals("0000") ? "1111" : "0000";
        try (TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 2)) {
            assertThat(terminal.send(purchase(terminal, card, card.pin(), "000001", 6_000)).getString(39)).isEqualTo("00");
            // a repeat of the same request is answered from the journal and not counted again
            assertThat(terminal.send(purchase(terminal, card, card.pin(), "000001", 6_000)).getString(39)).isEqualTo("00");
            // a wrong PIN is declined by the issuer, and its 3,000 are given back
            assertThat(terminal.send(purchase(terminal, card, wrong, "000002", 3_000)).getString(39)).isEqualTo("55");
            assertThat(terminal.send(purchase(terminal, card, card.pin(), "000003", 4_000)).getString(39)).isEqualTo("00");
            // 6,000 + 4,000 = the daily 10,000: one more minor unit is refused
            assertThat(terminal.send(purchase(terminal, card, card.pin(), "000004", 1)).getString(39)).isEqualTo("61");
        }
        assertThat(fixture.issuer().available(card)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR - 10_000);
    }

    @Test
    void aTerminalStopsAtItsDailyCount() throws IOException {
        IssuedCard card = fixture.issuer().card(2);
        try (TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 3)) {
            for (int i = 1; i <= TERMINAL_DAILY_COUNT; i++) {
                IsoMessage balance = terminal.requests().balanceInquiry(SwitchFixture.read(card),
                        terminal.pinBlock(card.pin(), card.account().pan()), String.format("%06d", i));
                assertThat(terminal.send(balance).getString(39)).isEqualTo("00");
            }
            IsoMessage oneMore = terminal.requests().balanceInquiry(SwitchFixture.read(card),
                    terminal.pinBlock(card.pin(), card.account().pan()), "000099");
            assertThat(terminal.send(oneMore).getString(39)).isEqualTo("65");
        }
    }

    /**
     * Regression: the repeat gave back what it took, then its 94 gave it back again, the original's share.
     * The repeat now waits for the original's answer and hears it; the original's share still counts once.
     */
    @Test
    void aRepeatWhileItsOriginalIsAtTheIssuerGivesBackOnlyWhatItTookItself() throws IOException {
        IssuedCard card = fixture.issuer().card(3);
        try (TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 4);
             TerminalSide second = terminal.anotherConnection(fixture.port(TerminalDialect.ISO87_BINARY))) {
            // the original stays at the issuer until its repeat has come in, however slow the machine
            fixture.issuer().holdAnswers();
            byte[] original = terminal.signed(purchase(terminal, card, card.pin(), "000001", 3_000));
            try {
                terminal.client().sendRaw(original);
                await().atMost(Duration.ofSeconds(10)).until(() -> fixture.journal().find(terminal.terminalId(), "000001").isPresent());
                second.client().sendRaw(original);
            } finally {
                fixture.issuer().releaseAnswers();
            }
            assertThat(terminal.answer(terminal.client().readBody()).getString(39)).isEqualTo("00");
            assertThat(second.answer(second.client().readBody()).getString(39)).isEqualTo("00");

            // the original's 3,000 still count: 7,001 more would pass the card's daily 10,000
            assertThat(terminal.send(purchase(terminal, card, card.pin(), "000002", 7_001)).getString(39)).isEqualTo("61");
            assertThat(terminal.send(purchase(terminal, card, card.pin(), "000003", 7_000)).getString(39)).isEqualTo("00");
        }
    }

    /** Regression: a reversed approval kept its share of the card's daily amount, declining the card's next sale 61. */
    @Test
    void aReversedApprovalGivesItsShareOfTheDailyAmountBack() throws IOException {
        IssuedCard card = fixture.issuer().card(4);
        try (TerminalSide terminal = fixture.signedOn(TerminalDialect.CUP_POS, 1)) {
            assertThat(terminal.send(purchase(terminal, card, card.pin(), "000101", 6_000)).getString(39)).isEqualTo("00");
            IsoMessage second = purchase(terminal, card, card.pin(), "000102", 4_000);
            assertThat(terminal.send(second).getString(39)).isEqualTo("00");
            assertThat(terminal.send(purchase(terminal, card, card.pin(), "000103", 1)).getString(39)).isEqualTo("61");

            assertThat(terminal.send(unionPayReversalOf(second)).getString(39)).isEqualTo("00");
            // and only once: the reversal's repeat gives nothing back a second time
            assertThat(terminal.send(unionPayReversalOf(second).mti("0401")).getString(39)).isEqualTo("00");

            assertThat(terminal.send(purchase(terminal, card, card.pin(), "000104", 4_000)).getString(39)).isEqualTo("00");
            assertThat(terminal.send(purchase(terminal, card, card.pin(), "000105", 1)).getString(39)).isEqualTo("61");
        }
    }

    /** Regression: a voided approval kept its share of the card's daily amount. */
    @Test
    void aVoidedApprovalGivesItsShareOfTheDailyAmountBack() throws IOException {
        IssuedCard card = fixture.issuer().card(5);
        try (TerminalSide terminal = fixture.signedOn(TerminalDialect.CUP_POS, 2)) {
            assertThat(terminal.send(purchase(terminal, card, card.pin(), "000201", 6_000)).getString(39)).isEqualTo("00");
            IsoMessage second = terminal.send(purchase(terminal, card, card.pin(), "000202", 4_000));
            assertThat(second.getString(39)).isEqualTo("00");
            assertThat(terminal.send(terminal.requests().purchaseVoid(SwitchFixture.read(card), "000203", 4_000,
                    second.getString(37), "000202")).getString(39)).isEqualTo("00");

            assertThat(terminal.send(purchase(terminal, card, card.pin(), "000204", 4_000)).getString(39)).isEqualTo("00");
            assertThat(terminal.send(purchase(terminal, card, card.pin(), "000205", 1)).getString(39)).isEqualTo("61");
        }
    }

    /**
     * A terminal reverses its void before the void's reversal reached the issuer: the sale stands
     * again, so it counts again in the card's daily amount.
     */
    @Test
    void aSaleWhoseVoidIsReversedBeforeItLeftCountsAgain() throws IOException {
        IssuedCard card = fixture.issuer().card(6);
        try (TerminalSide terminal = fixture.signedOn(TerminalDialect.CUP_POS, 3)) {
            assertThat(terminal.send(purchase(terminal, card, card.pin(), "000301", 6_000)).getString(39)).isEqualTo("00");
            IsoMessage second = terminal.send(purchase(terminal, card, card.pin(), "000302", 4_000));
            assertThat(second.getString(39)).isEqualTo("00");
            fixture.issuer().stop();
            fixture.awaitIssuerLink(false);
            try {
                IsoMessage voided = terminal.requests().purchaseVoid(SwitchFixture.read(card), "000303", 4_000,
                        second.getString(37), "000302");
                assertThat(terminal.send(voided).getString(39)).isEqualTo("00");
                assertThat(terminal.send(unionPayReversalOf(voided)).getString(39)).isEqualTo("00");
            } finally {
                fixture.issuer().start();
                fixture.awaitIssuerLink(true);
            }
            assertThat(terminal.send(purchase(terminal, card, card.pin(), "000304", 1)).getString(39)).isEqualTo("61");
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(fixture.issuer().balance(card)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR - 10_000));
    }
}
