package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.config.TransactionsConfig;
import io.isoswitch.core.testing.IssuerSimulator;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.JournalRows;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalRequests;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The full transaction set at the issuer, on the real PostgreSQL, through real listeners of the
 * binary ISO and UnionPay dialects to the issuer simulator: purchase void, pre-authorization and
 * its void, completion (UnionPay online; ISO as an advice) and its void, completion advice, and
 * refunds against their original, with every refusal of a bad original (25, 12, 64, 94), refunds
 * above the remainder (13 / 61) and completions above the hold plus the merchant category's
 * tolerance (13; exactly at the limit approved). After each scenario the issuer's ledger holds
 * exactly what the terminal was told, once store-and-forward has delivered what it queued.
 */
class TransactionSetPostgresTest extends EndToEndScenarios {
    private static final long OPENING = IssuerSimulator.OPENING_BALANCE_MINOR;
    /** The fixture's merchant is a grocery (5411): 10 % over the hold for its completions. */
    private static final int TOLERANCE_PERCENT = 10;

    @Override
    JournalBackend backend() {
        return JournalBackend.postgres(TransactionSetPostgresTest.class);
    }

    @Override
    SwitchFixture.Options options(SwitchFixture.Options defaults) {
        return defaults.withCards(40).withConfig(c -> c.withTransactions(
                new TransactionsConfig(false, Map.of("5411", TOLERANCE_PERCENT)), c.standIn()));
    }

    private TerminalSide terminal(TerminalDialect dialect) throws IOException {
        return fixture.signedOn(dialect, 1);
    }

    private static TerminalRequests.Card read(IssuedCard card) {
        return SwitchFixture.read(card);
    }

    private IsoMessage approvedPurchase(TerminalSide terminal, IssuedCard card, String stan, long amount) throws IOException {
        IsoMessage answer = terminal.send(terminal.requests().purchase(read(card), terminal.pinBlock(card.pin(), card.account().pan()),
                stan, amount));
        assertThat(answer.getString(39)).isEqualTo("00");
        return answer;
    }

    private IsoMessage approvedPreAuth(TerminalSide terminal, IssuedCard card, String stan, long amount) throws IOException {
        IsoMessage answer = terminal.send(terminal.requests().preAuthorization(read(card),
                terminal.pinBlock(card.pin(), card.account().pan()), stan, amount));
        assertThat(answer.getString(39)).isEqualTo("00");
        return answer;
    }

    private JournalRows.Row row(TerminalSide terminal, String stan) {
        return fixture.journal().find(terminal.terminalId(), stan).orElseThrow(() -> new AssertionError("no journal row for " + stan));
    }

    /** Waits until the issuer's ledger shows what the terminal was told, then checks the ledger's own law. */
    private void awaitLedger(IssuedCard card, long balance, long available) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(fixture.issuer().balance(card)).as("ledger balance").isEqualTo(balance);
            assertThat(fixture.issuer().available(card)).as("available").isEqualTo(available);
        });
        assertThat(fixture.issuer().bank().conservationViolations()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = TerminalDialect.class, names = {"ISO87_BINARY", "CUP_POS"})
    void aPurchaseVoidReversesThePurchaseOnceAndASecondVoidIsADuplicate(TerminalDialect dialect) throws IOException {
        IssuedCard card = card();
        TerminalSide terminal = terminal(dialect);
        String purchaseStan = stan();
        IsoMessage purchase = approvedPurchase(terminal, card, purchaseStan, 3_000);
        String rrn = purchase.getString(37);

        String voidStan = stan();
        IsoMessage voided = terminal.send(terminal.requests().purchaseVoid(read(card), voidStan, 3_000, rrn, purchaseStan));
        assertThat(voided.mti()).isEqualTo("0210");
        assertThat(voided.getString(39)).isEqualTo("00");
        awaitLedger(card, OPENING, OPENING);
        await().atMost(Duration.ofSeconds(30)).until(() -> row(terminal, purchaseStan).state().equals("REVERSED"));
        assertThat(row(terminal, voidStan).type()).isEqualTo("PURCHASE_VOID");
        assertThat(row(terminal, voidStan).state()).isEqualTo("APPROVED");

        // the same void again (its repeat) is answered from the journal; another void of it is 94
        IsoMessage repeat = terminal.send(terminal.requests().purchaseVoid(read(card), voidStan, 3_000, rrn, purchaseStan));
        assertThat(repeat.getString(39)).isEqualTo("00");
        assertThat(repeat.getString(37)).isEqualTo(voided.getString(37));
        assertThat(terminal.send(terminal.requests().purchaseVoid(read(card), stan(), 3_000, rrn, purchaseStan)).getString(39))
                .isEqualTo("94");
        awaitLedger(card, OPENING, OPENING);
    }

    @org.junit.jupiter.api.Test
    void aUnionPayVoidWithoutField37FindsItsOriginalByField61() throws IOException {
        IssuedCard card = card();
        TerminalSide terminal = terminal(TerminalDialect.CUP_POS);
        String purchaseStan = stan();
        approvedPurchase(terminal, card, purchaseStan, 2_400);
        awaitLedger(card, OPENING - 2_400, OPENING - 2_400);

        // field 61 naming a trace this terminal never used: unknown original
        IsoMessage unknown = terminal.requests().purchaseVoid(read(card), stan(), 2_400, null, purchaseStan);
        unknown.set(61, terminal.batch() + "999998" + unknown.getString(61).substring(12));
        assertThat(terminal.send(unknown).getString(39)).isEqualTo("25");
        // the original found by field 61, but the void's amount is not its amount
        assertThat(terminal.send(terminal.requests().purchaseVoid(read(card), stan(), 2_399, null, purchaseStan)).getString(39))
                .isEqualTo("64");

        String voidStan = stan();
        IsoMessage voidRequest = terminal.requests().purchaseVoid(read(card), voidStan, 2_400, null, purchaseStan);
        assertThat(voidRequest.has(37)).isFalse();
        assertThat(terminal.send(voidRequest).getString(39)).isEqualTo("00");
        awaitLedger(card, OPENING, OPENING);
        await().atMost(Duration.ofSeconds(30)).until(() -> row(terminal, purchaseStan).state().equals("REVERSED"));
        assertThat(row(terminal, voidStan).type()).isEqualTo("PURCHASE_VOID");
        // without field 37 or 61 nothing names the original: a format error, as before
        assertThat(terminal.send(terminal.requests().purchaseVoid(read(card), stan(), 2_400, null, null)).getString(39))
                .isEqualTo("30");
    }

    /**
     * A terminal that used one trace number for a pre-authorization and then for a purchase (the
     * idempotency key holds the message class, so both stand): a void naming that trace by field 61
     * voids the purchase, whichever of the two is newer, and leaves the hold alone.
     */
    @org.junit.jupiter.api.Test
    void aUnionPayVoidByField61PicksThePurchaseWhenItsTraceAlsoCarriesAPreAuthorization() throws IOException {
        IssuedCard card = card();
        TerminalSide terminal = terminal(TerminalDialect.CUP_POS);
        String sharedStan = stan();
        approvedPurchase(terminal, card, sharedStan, 1_700);
        approvedPreAuth(terminal, card, sharedStan, 900);
        awaitLedger(card, OPENING - 1_700, OPENING - 1_700 - 900);

        IsoMessage voidRequest = terminal.requests().purchaseVoid(read(card), stan(), 1_700, null, sharedStan);
        assertThat(voidRequest.has(37)).isFalse();
        assertThat(terminal.send(voidRequest).getString(39)).isEqualTo("00");
        awaitLedger(card, OPENING, OPENING - 900);
        // the issuer books the void's reversal before it answers; REVERSED is written when its answer is
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(fixture.journal().of(terminal.terminalId(), sharedStan))
                .extracting(JournalRows.Row::type, JournalRows.Row::state)
                .containsExactlyInAnyOrder(tuple("PURCHASE", "REVERSED"), tuple("PREAUTH", "APPROVED")));
    }

    @ParameterizedTest
    @EnumSource(value = TerminalDialect.class, names = {"ISO87_BINARY", "CUP_POS"})
    void aVoidOfAnUnknownOriginalIs25OfAnotherAmount64OfAnotherCard25(TerminalDialect dialect) throws IOException {
        IssuedCard card = card();
        IssuedCard other = card();
        TerminalSide terminal = terminal(dialect);
        String purchaseStan = stan();
        String rrn = approvedPurchase(terminal, card, purchaseStan, 2_000).getString(37);

        assertThat(terminal.send(terminal.requests().purchaseVoid(read(card), stan(), 2_000, "999999999999", purchaseStan))
                .getString(39)).isEqualTo("25");
        assertThat(terminal.send(terminal.requests().purchaseVoid(read(card), stan(), 1_999, rrn, purchaseStan)).getString(39))
                .isEqualTo("64");
        assertThat(terminal.send(terminal.requests().purchaseVoid(read(other), stan(), 2_000, rrn, purchaseStan)).getString(39))
                .isEqualTo("25");
        // a void naming a pre-authorization is not a purchase void
        String preAuthStan = stan();
        String preAuthRrn = approvedPreAuth(terminal, card, preAuthStan, 1_000).getString(37);
        assertThat(terminal.send(terminal.requests().purchaseVoid(read(card), stan(), 1_000, preAuthRrn, preAuthStan)).getString(39))
                .isEqualTo("12");
        awaitLedger(card, OPENING - 2_000, OPENING - 2_000 - 1_000);
        awaitLedger(other, OPENING, OPENING);
    }

    @ParameterizedTest
    @EnumSource(value = TerminalDialect.class, names = {"ISO87_BINARY", "CUP_POS"})
    void aPreAuthorizationVoidReleasesTheHoldAndTheVoidedHoldCannotBeCompleted(TerminalDialect dialect) throws IOException {
        IssuedCard card = card();
        TerminalSide terminal = terminal(dialect);
        String preAuthStan = stan();
        IsoMessage preAuth = approvedPreAuth(terminal, card, preAuthStan, 8_000);
        awaitLedger(card, OPENING, OPENING - 8_000);

        String voidStan = stan();
        IsoMessage voided = terminal.send(terminal.requests().preAuthVoid(read(card), voidStan, 8_000, preAuth.getString(37),
                preAuth.getString(38), preAuthStan));
        assertThat(voided.mti()).isEqualTo("0110");
        assertThat(voided.getString(39)).isEqualTo("00");
        assertThat(row(terminal, voidStan).type()).isEqualTo("PREAUTH_VOID");
        awaitLedger(card, OPENING, OPENING);

        IsoMessage completion = terminal.send(terminal.requests().completion(read(card), stan(), 8_000, preAuth.getString(37),
                preAuth.getString(38), preAuthStan));
        assertThat(completion.getString(39)).isIn("12", "94");
        awaitLedger(card, OPENING, OPENING);
    }

    @ParameterizedTest
    @EnumSource(value = TerminalDialect.class, names = {"ISO87_BINARY", "CUP_POS"})
    void aCompletionCapturesTheHoldOnceAndItsVoidGivesTheMoneyBack(TerminalDialect dialect) throws IOException {
        IssuedCard card = card();
        TerminalSide terminal = terminal(dialect);
        String preAuthStan = stan();
        IsoMessage preAuth = approvedPreAuth(terminal, card, preAuthStan, 10_000);

        String completionStan = stan();
        IsoMessage completion = terminal.send(terminal.requests().completion(read(card), completionStan, 9_000,
                preAuth.getString(37), preAuth.getString(38), preAuthStan));
        assertThat(completion.getString(39)).isEqualTo("00");
        assertThat(completion.mti()).isEqualTo(dialect.cup() ? "0210" : "0230");
        // the hold is released and the completed amount debited (an ISO completion is an advice:
        // store-and-forward takes it to the issuer)
        awaitLedger(card, OPENING - 9_000, OPENING - 9_000);
        assertThat(row(terminal, completionStan).type()).isEqualTo(dialect.cup() ? "PREAUTH_COMPLETION" : "PREAUTH_COMPLETION_ADVICE");

        // a second completion of the same pre-authorization is a duplicate
        assertThat(terminal.send(terminal.requests().completion(read(card), stan(), 1_000, preAuth.getString(37),
                preAuth.getString(38), preAuthStan)).getString(39)).isEqualTo("94");
        // a pre-authorization that was completed cannot be voided any more
        assertThat(terminal.send(terminal.requests().preAuthVoid(read(card), stan(), 10_000, preAuth.getString(37),
                preAuth.getString(38), preAuthStan)).getString(39)).isEqualTo("12");

        String voidStan = stan();
        IsoMessage voided = terminal.send(terminal.requests().completionVoid(read(card), voidStan, 9_000,
                completion.getString(37), completion.getString(38), completionStan));
        assertThat(voided.getString(39)).isEqualTo("00");
        // an ISO 1987 void (0200, processing code 02) of a completion is journaled as a completion
        // void, as UnionPay's own is: before, the merchant's settlement file called it a purchase void
        assertThat(row(terminal, voidStan).type()).isEqualTo("PREAUTH_COMPLETION_VOID");
        // the money is back and the pre-authorization holds it again, so the merchant can complete it anew
        awaitLedger(card, OPENING, OPENING - 10_000);
        assertThat(terminal.send(terminal.requests().completion(read(card), stan(), 8_000, preAuth.getString(37),
                preAuth.getString(38), preAuthStan)).getString(39)).isEqualTo("00");
        awaitLedger(card, OPENING - 8_000, OPENING - 8_000);
        assertThat(terminal.send(terminal.requests().completion(read(card), stan(), 1_000, preAuth.getString(37),
                preAuth.getString(38), preAuthStan)).getString(39)).isEqualTo("94");
    }

    /**
     * The usual timeout at a UnionPay terminal: its completion was approved but the answer never
     * reached it, so it reverses the completion and completes again. The reversal gives the money
     * back and the hold returns; the new completion captures once.
     */
    @org.junit.jupiter.api.Test
    void aCompletionItsTerminalReversedCanBeCompletedAgainAndCapturesOnce() throws IOException {
        IssuedCard card = card();
        TerminalSide terminal = terminal(TerminalDialect.CUP_POS);
        String preAuthStan = stan();
        IsoMessage preAuth = approvedPreAuth(terminal, card, preAuthStan, 5_000);
        IsoMessage lost = terminal.requests().completion(read(card), stan(), 4_500, preAuth.getString(37),
                preAuth.getString(38), preAuthStan);
        assertThat(terminal.send(lost).getString(39)).isEqualTo("00");
        awaitLedger(card, OPENING - 4_500, OPENING - 4_500);

        assertThat(terminal.send(reversal(TerminalDialect.CUP_POS, lost)).getString(39)).isEqualTo("00");
        awaitLedger(card, OPENING, OPENING - 5_000);

        assertThat(terminal.send(terminal.requests().completion(read(card), stan(), 4_500, preAuth.getString(37),
                preAuth.getString(38), preAuthStan)).getString(39)).isEqualTo("00");
        awaitLedger(card, OPENING - 4_500, OPENING - 4_500);
        assertThat(terminal.send(terminal.requests().completion(read(card), stan(), 100, preAuth.getString(37),
                preAuth.getString(38), preAuthStan)).getString(39)).isEqualTo("94");
    }

    @ParameterizedTest
    @EnumSource(value = TerminalDialect.class, names = {"ISO87_BINARY", "CUP_POS"})
    void aCompletionMayExceedTheHoldByTheToleranceExactlyAndNotAMinorUnitMore(TerminalDialect dialect) throws IOException {
        IssuedCard card = card();
        TerminalSide terminal = terminal(dialect);
        String preAuthStan = stan();
        IsoMessage preAuth = approvedPreAuth(terminal, card, preAuthStan, 10_000);
        long limit = 10_000 + 10_000 * TOLERANCE_PERCENT / 100;

        assertThat(terminal.send(terminal.requests().completion(read(card), stan(), limit + 1, preAuth.getString(37),
                preAuth.getString(38), preAuthStan)).getString(39)).isEqualTo("13");
        awaitLedger(card, OPENING, OPENING - 10_000);
        IsoMessage exact = terminal.send(terminal.requests().completion(read(card), stan(), limit, preAuth.getString(37),
                preAuth.getString(38), preAuthStan));
        assertThat(exact.getString(39)).isEqualTo("00");
        awaitLedger(card, OPENING - limit, OPENING - limit);
    }

    @ParameterizedTest
    @EnumSource(value = TerminalDialect.class, names = {"ISO87_BINARY", "CUP_POS"})
    void refundsNeverExceedWhatIsLeftToRefundOfTheirOriginal(TerminalDialect dialect) throws IOException {
        IssuedCard card = card();
        TerminalSide terminal = terminal(dialect);
        String rrn = approvedPurchase(terminal, card, stan(), 5_000).getString(37);
        String aboveRemainder = dialect.cup() ? "61" : "13";

        assertThat(terminal.send(terminal.requests().refund(read(card), stan(), 3_000, rrn)).getString(39)).isEqualTo("00");
        assertThat(terminal.send(terminal.requests().refund(read(card), stan(), 2_001, rrn)).getString(39)).isEqualTo(aboveRemainder);
        assertThat(terminal.send(terminal.requests().refund(read(card), stan(), 2_000, rrn)).getString(39)).isEqualTo("00");
        assertThat(terminal.send(terminal.requests().refund(read(card), stan(), 1, rrn)).getString(39)).isEqualTo(aboveRemainder);
        // without an original a refund is refused (refundsWithoutOriginal is off by default)
        assertThat(terminal.send(terminal.requests().refund(read(card), stan(), 100, null)).getString(39)).isEqualTo("25");
        awaitLedger(card, OPENING, OPENING);
    }

    /**
     * A UnionPay refund is never reversed: a terminal that lost its answer (the node was killed
     * between the outcome's commit and the answer) sends it again, unchanged. The resend is answered
     * from the journal as the first was, 00, although nothing is left to refund of the original by
     * then, and the card is credited once. (Chaos run: the terminal took such a refund for not
     * credited, and the account was debited 17,210 less than the tally expected.)
     */
    @org.junit.jupiter.api.Test
    void aUnionPayRefundSentAgainAfterItsAnswerWasLostIsAnsweredFromTheJournalAndCreditsOnce() throws IOException {
        IssuedCard card = card();
        TerminalSide terminal = terminal(TerminalDialect.CUP_POS);
        String rrn = approvedPurchase(terminal, card, stan(), 17_210).getString(37);
        IsoMessage refund = terminal.requests().refund(read(card), stan(), 17_210, rrn);
        IsoMessage first = terminal.send(refund);
        IsoMessage again = terminal.send(refund);
        assertThat(first.getString(39)).isEqualTo("00");
        assertThat(again.getString(39)).isEqualTo("00");
        assertThat(again.getString(37)).isEqualTo(first.getString(37));
        awaitLedger(card, OPENING, OPENING);
        // the repeat found the first refund's share counted and did not give it back
        assertThat(terminal.send(terminal.requests().refund(read(card), stan(), 1, rrn)).getString(39)).isEqualTo("61");
    }

    /**
     * The node was killed after a UnionPay refund took its share of the original and before the
     * refund was journaled (here: the share written straight into the counter, as the dead node
     * left it). The terminal sends the refund again, unchanged: it is its own share, so the refund
     * is approved and credited, and the original's counter holds it once. (Was 61, "above what is
     * left to refund", although nothing had been refunded.)
     */
    @org.junit.jupiter.api.Test
    void aUnionPayRefundWhoseShareWasTakenBeforeACrashIsApprovedWhenSentAgainAndCountsOnce() throws Exception {
        IssuedCard card = card();
        TerminalSide terminal = terminal(TerminalDialect.CUP_POS);
        String purchaseStan = stan();
        String rrn = approvedPurchase(terminal, card, purchaseStan, 17_210).getString(37);
        String refundStan = stan();
        // the refund is a 0220 advice of the purchase's terminal and day (field 13)
        String originalId = shareLeftByACrash(terminal, purchaseStan, "020", "REFUND", refundStan, 17_210);

        assertThat(terminal.send(terminal.requests().refund(read(card), refundStan, 17_210, rrn)).getString(39)).isEqualTo("00");
        assertThat(row(terminal, refundStan).mtiClass()).isEqualTo("022");
        awaitLedger(card, OPENING, OPENING);
        assertThat(counter(originalId, "REFUND")).containsExactly(1L, 17_210L);
        // nothing is left to refund: a new refund is above the remainder
        assertThat(terminal.send(terminal.requests().refund(read(card), stan(), 1, rrn)).getString(39)).isEqualTo("61");
    }

    /** The same for an ISO completion advice: its resend after the crash is accepted, not a second completion (94). */
    @org.junit.jupiter.api.Test
    void aCompletionAdviceWhoseShareWasTakenBeforeACrashIsAcceptedWhenSentAgainAndCountsOnce() throws Exception {
        IssuedCard card = card();
        TerminalSide terminal = terminal(TerminalDialect.ISO87_BINARY);
        String preAuthStan = stan();
        IsoMessage preAuth = approvedPreAuth(terminal, card, preAuthStan, 10_000);
        String completionStan = stan();
        String originalId = shareLeftByACrash(terminal, preAuthStan, "010", "COMPLETION", completionStan, 9_000);

        assertThat(terminal.send(terminal.requests().completion(read(card), completionStan, 9_000, preAuth.getString(37),
                preAuth.getString(38), preAuthStan)).getString(39)).isEqualTo("00");
        assertThat(row(terminal, completionStan).mtiClass()).isEqualTo("022");
        awaitLedger(card, OPENING - 9_000, OPENING - 9_000);
        assertThat(counter(originalId, "COMPLETION")).containsExactly(1L, 9_000L);
        assertThat(terminal.send(terminal.requests().completion(read(card), stan(), 1_000, preAuth.getString(37),
                preAuth.getString(38), preAuthStan)).getString(39)).isEqualTo("94");
    }

    /**
     * Writes what a node killed between the counter and the journal leaves: the share of the
     * original (journaled under {@code originalStan}, MTI class {@code originalClass}) that the
     * 0220 under {@code stan} took. Returns the original's journal id.
     */
    private String shareLeftByACrash(TerminalSide terminal, String originalStan, String originalClass, String counter,
                                     String stan, long amount) throws java.sql.SQLException {
        try (java.sql.Connection c = backend.connect();
             java.sql.PreparedStatement s = c.prepareStatement("SELECT id, business_date, transaction_date, currency FROM journal"
                     + " WHERE terminal_id = ? AND stan = ? AND mti_class = ?")) {
            s.setString(1, terminal.terminalId());
            s.setString(2, originalStan);
            s.setString(3, originalClass);
            try (java.sql.ResultSet r = s.executeQuery()) {
                assertThat(r.next()).isTrue();
                String key = "'ORIGINAL', '" + r.getString(1) + "', DATE '" + r.getDate(2) + "', '" + counter + "', '" + r.getString(4) + "'";
                String contributor = terminal.terminalId() + "|" + stan + "|" + r.getDate(3) + "|022";
                backend.execute("INSERT INTO limit_counter (key_kind, key_value, business_date, transaction_type, currency, txn_count,"
                        + " amount_minor, updated_at) VALUES (" + key + ", 1, " + amount + ", CURRENT_TIMESTAMP)");
                backend.execute("INSERT INTO limit_contribution (key_kind, key_value, business_date, transaction_type, currency,"
                        + " contributor, amount_minor, created_at) VALUES (" + key + ", '" + contributor + "', " + amount
                        + ", CURRENT_TIMESTAMP)");
                return r.getString(1);
            }
        }
    }

    /** An original's counter as {count, amount}. */
    private java.util.List<Long> counter(String originalId, String counter) throws java.sql.SQLException {
        try (java.sql.Connection c = backend.connect();
             java.sql.PreparedStatement s = c.prepareStatement("SELECT txn_count, amount_minor FROM limit_counter"
                     + " WHERE key_kind = 'ORIGINAL' AND key_value = ? AND transaction_type = ?")) {
            s.setString(1, originalId);
            s.setString(2, counter);
            try (java.sql.ResultSet r = s.executeQuery()) {
                assertThat(r.next()).isTrue();
                return java.util.List.of(r.getLong(1), r.getLong(2));
            }
        }
    }

    @org.junit.jupiter.api.Test
    void aRefundItsTerminalReversedGivesItsShareOfTheOriginalBack() throws IOException {
        IssuedCard card = card();
        TerminalSide terminal = terminal(TerminalDialect.ISO87_BINARY);
        String rrn = approvedPurchase(terminal, card, stan(), 2_000).getString(37);
        String refundStan = stan();
        IsoMessage refund = terminal.requests().refund(read(card), refundStan, 2_000, rrn);
        assertThat(terminal.send(refund).getString(39)).isEqualTo("00");
        assertThat(terminal.send(terminal.requests().refund(read(card), stan(), 1, rrn)).getString(39)).isEqualTo("13");

        IsoMessage reversal = new IsoMessage("0400");
        for (int field : new int[] {2, 3, 4, 12, 13, 14, 22, 41, 42, 49}) {
            if (refund.has(field)) {
                reversal.set(field, refund.getString(field));
            }
        }
        reversal.set(11, stan()).set(39, "98").set(90, "0200" + refundStan + refund.getString(13) + refund.getString(12) + "0".repeat(22));
        assertThat(terminal.send(reversal).getString(39)).isEqualTo("00");
        awaitLedger(card, OPENING - 2_000, OPENING - 2_000);
        // the reversed refund no longer counts: the purchase can be refunded again
        await().atMost(Duration.ofSeconds(10)).until(() ->
                terminal.send(terminal.requests().refund(read(card), stan(), 2_000, rrn)).getString(39).equals("00"));
        awaitLedger(card, OPENING, OPENING);
    }

    @ParameterizedTest
    @EnumSource(value = TerminalDialect.class, names = {"ISO87_BINARY", "CUP_POS"})
    void aRefundedPurchaseCannotBeVoidedAndAVoidedOneCannotBeRefunded(TerminalDialect dialect) throws IOException {
        IssuedCard card = card();
        TerminalSide terminal = terminal(dialect);
        String refundedStan = stan();
        String refundedRrn = approvedPurchase(terminal, card, refundedStan, 1_500).getString(37);
        assertThat(terminal.send(terminal.requests().refund(read(card), stan(), 500, refundedRrn)).getString(39)).isEqualTo("00");
        assertThat(terminal.send(terminal.requests().purchaseVoid(read(card), stan(), 1_500, refundedRrn, refundedStan)).getString(39))
                .isEqualTo("12");

        String voidedStan = stan();
        String voidedRrn = approvedPurchase(terminal, card, voidedStan, 700).getString(37);
        assertThat(terminal.send(terminal.requests().purchaseVoid(read(card), stan(), 700, voidedRrn, voidedStan)).getString(39))
                .isEqualTo("00");
        assertThat(terminal.send(terminal.requests().refund(read(card), stan(), 700, voidedRrn)).getString(39)).isEqualTo("94");
        awaitLedger(card, OPENING - 1_000, OPENING - 1_000);
    }

    /**
     * A terminal's reversal of a purchase that was refunded since, or of a pre-authorization that
     * was completed since, is refused 12 like a void of it, and moves nothing. (Third-party audit:
     * purchase 100.00, refund 40.00, then 0400 of the purchase answered 00 and reversed in full at
     * the issuer: the card was credited 140.00 for a 100.00 sale.)
     */
    @ParameterizedTest
    @EnumSource(value = TerminalDialect.class, names = {"ISO87_BINARY", "CUP_POS"})
    void aReversalOfARefundedPurchaseOrACompletedPreAuthorizationIsRefusedAndMovesNothing(TerminalDialect dialect)
            throws IOException {
        IssuedCard card = card();
        TerminalSide terminal = terminal(dialect);
        String purchaseStan = stan();
        IsoMessage purchaseRequest = terminal.requests().purchase(read(card), terminal.pinBlock(card.pin(), card.account().pan()),
                purchaseStan, 10_000);
        IsoMessage purchase = terminal.send(purchaseRequest);
        assertThat(purchase.getString(39)).isEqualTo("00");
        assertThat(terminal.send(terminal.requests().refund(read(card), stan(), 4_000, purchase.getString(37))).getString(39))
                .isEqualTo("00");
        awaitLedger(card, OPENING - 6_000, OPENING - 6_000);

        assertThat(terminal.send(reversal(dialect, purchaseRequest)).getString(39)).isEqualTo("12");
        assertThat(row(terminal, purchaseStan, "020").state()).isEqualTo("APPROVED");

        String preAuthStan = stan();
        IsoMessage preAuthRequest = terminal.requests().preAuthorization(read(card),
                terminal.pinBlock(card.pin(), card.account().pan()), preAuthStan, 5_000);
        IsoMessage preAuth = terminal.send(preAuthRequest);
        assertThat(preAuth.getString(39)).isEqualTo("00");
        assertThat(terminal.send(terminal.requests().completion(read(card), stan(), 5_000, preAuth.getString(37),
                preAuth.getString(38), preAuthStan)).getString(39)).isEqualTo("00");
        awaitLedger(card, OPENING - 11_000, OPENING - 11_000);

        assertThat(terminal.send(reversal(dialect, preAuthRequest)).getString(39)).isEqualTo("12");
        assertThat(row(terminal, preAuthStan, "010").state()).isEqualTo("APPROVED");
        // nothing was queued for the issuer: the sale and the capture stand, less the refund
        awaitLedger(card, OPENING - 11_000, OPENING - 11_000);
    }

    /** The row of one message class (a UnionPay reversal shares its original's STAN). */
    private JournalRows.Row row(TerminalSide terminal, String stan, String mtiClass) {
        return fixture.journal().of(terminal.terminalId(), stan).stream().filter(r -> r.mtiClass().equals(mtiClass)).findFirst()
                .orElseThrow(() -> new AssertionError("no journal row of class " + mtiClass + " for " + stan));
    }

    /** The terminal's reversal of {@code request}: ISO names it in field 90 under a new STAN; UnionPay repeats its STAN and 60. */
    private IsoMessage reversal(TerminalDialect dialect, IsoMessage request) {
        if (!dialect.cup()) {
            return TerminalRequests.reversalOf(request, stan());
        }
        return TerminalRequests.unionPayReversalOf(request);
    }

    @ParameterizedTest
    @EnumSource(value = TerminalDialect.class, names = {"ISO87_BINARY", "CUP_POS"})
    void aCompletionAdviceIsAcceptedStoredAndForwardedToTheIssuer(TerminalDialect dialect) throws IOException {
        IssuedCard card = card();
        TerminalSide terminal = terminal(dialect);
        String preAuthStan = stan();
        IsoMessage preAuth = approvedPreAuth(terminal, card, preAuthStan, 4_000);
        String adviceStan = stan();
        IsoMessage advice = terminal.send(terminal.requests().completionAdvice(read(card), adviceStan, 4_000, preAuth.getString(37),
                preAuth.getString(38), preAuthStan));
        assertThat(advice.mti()).isEqualTo("0230");
        assertThat(advice.getString(39)).isEqualTo("00");
        assertThat(row(terminal, adviceStan).type()).isEqualTo("PREAUTH_COMPLETION_ADVICE");
        awaitLedger(card, OPENING - 4_000, OPENING - 4_000);
    }
}
