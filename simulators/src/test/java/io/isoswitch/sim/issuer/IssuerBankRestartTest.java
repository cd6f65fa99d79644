package io.isoswitch.sim.issuer;

import static io.isoswitch.sim.issuer.Fixtures.ACQUIRER;
import static io.isoswitch.sim.issuer.Fixtures.CLOCK;
import static io.isoswitch.sim.issuer.Fixtures.EUR;
import static io.isoswitch.sim.issuer.Fixtures.TODAY;
import static io.isoswitch.sim.issuer.Fixtures.card;
import static io.isoswitch.sim.issuer.Fixtures.completion;
import static io.isoswitch.sim.issuer.Fixtures.preAuth;
import static io.isoswitch.sim.issuer.Fixtures.purchase;
import static io.isoswitch.sim.issuer.Fixtures.refund;
import static io.isoswitch.sim.issuer.Fixtures.reversal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.isoswitch.sim.ledger.AccountBalance;
import io.isoswitch.sim.ledger.LedgerLog;
import io.isoswitch.sim.ledger.RequestReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bank that keeps its books in a {@link LedgerLog} and is started again on it (after a stop or a
 * {@code kill -9}) stands where it stood: balances, holds, entries, and the answers that reversals,
 * completions, voids and repeated advices of its earlier requests look up.
 */
class IssuerBankRestartTest {
    static final String PAN = "4111111111111111";
    static final String OTHER_PAN = "5555555555554444";

    @TempDir
    Path dir;
    LedgerLog open;

    @AfterEach
    void closeLog() throws IOException {
        if (open != null) {
            open.close();
        }
    }

    IssuerBank bankOn(Path file) throws IOException {
        closeLog();
        open = LedgerLog.open(file);
        return new IssuerBank("bank-a", List.of(card("ACC1", PAN, 10_000), card("ACC2", OTHER_PAN, 5_000)),
                IssuerPolicy.defaults(), CLOCK, open);
    }

    @Test
    void aBankStartedAgainOnItsLogHasTheSameBalancesHoldsAndEntries() throws IOException {
        Path file = dir.resolve("entries.csv");
        IssuerBank before = bankOn(file);
        before.authorize(purchase(1, PAN, 2_500));
        before.authorize(preAuth(2, PAN, 3_000));
        before.authorize(refund(3, OTHER_PAN, 700));
        before.authorize(purchase(4, OTHER_PAN, 99_999)); // declined 51: books nothing
        before.authorize(reversal(5, OTHER_PAN, 700, MessageClass.FINANCIAL, 3));
        LedgerSnapshot stood = before.snapshot();

        IssuerBank after = bankOn(file);

        assertThat(after.snapshot().balances()).isEqualTo(stood.balances());
        assertThat(after.snapshot().entries()).isEqualTo(stood.entries());
        assertThat(after.conservationViolations()).isEmpty();
        assertThat(after.balance("ACC1")).extracting(AccountBalance::balanceMinor, AccountBalance::heldMinor)
                .containsExactly(7_500L, 3_000L);
    }

    @Test
    void aReversalAfterTheRestartUndoesItsOriginalOnceAndARepeatOfItBooksNothing() throws IOException {
        Path file = dir.resolve("entries.csv");
        bankOn(file).authorize(purchase(1, PAN, 2_500));

        IssuerBank after = bankOn(file);
        AuthorizationResult reversed = after.authorize(reversal(2, PAN, 2_500, MessageClass.FINANCIAL, 1));
        AuthorizationResult reversedAgain = after.authorize(reversal(3, PAN, 2_500, MessageClass.FINANCIAL, 1));

        assertThat(reversed.responseCode()).isEqualTo(ResponseCode.APPROVED);
        assertThat(reversed.entries()).hasSize(1);
        assertThat(reversedAgain.entries()).as("its original's entry is reversed already").isEmpty();
        assertThat(after.balance("ACC1").balanceMinor()).isEqualTo(10_000);
    }

    @Test
    void aRepeatOfAnAdviceBookedBeforeTheRestartIsAnsweredAsBeforeAndBooksNothing() throws IOException {
        Path file = dir.resolve("entries.csv");
        IssuerBank before = bankOn(file);
        AuthorizationResult first = before.authorize(standInPurchaseAdvice(7, "633010000007"));

        IssuerBank after = bankOn(file);
        // store-and-forward's 0221 repeat under a new STAN, the same RRN
        AuthorizationResult repeat = after.authorize(standInPurchaseAdvice(8, "633010000007"));

        assertThat(repeat.responseCode()).isEqualTo(first.responseCode());
        assertThat(repeat.approvalCode()).isEqualTo(first.approvalCode());
        assertThat(after.snapshot().entries()).hasSize(1);
        assertThat(after.balance("ACC1").balanceMinor()).isEqualTo(10_000 - 1_200);
    }

    @Test
    void aPreAuthorizationHeldBeforeTheRestartIsCapturedOnceAfterIt() throws IOException {
        Path file = dir.resolve("entries.csv");
        bankOn(file).authorize(preAuth(1, PAN, 3_000));

        IssuerBank after = bankOn(file);
        AuthorizationResult completed = after.authorize(completion(2, PAN, 2_800, 1));
        AuthorizationResult again = after.authorize(completion(3, PAN, 2_800, 1));

        assertThat(completed.responseCode()).isEqualTo(ResponseCode.APPROVED);
        assertThat(again.responseCode()).as("nothing left of the hold").isEqualTo(ResponseCode.INVALID_TRANSACTION);
        assertThat(after.balance("ACC1")).extracting(AccountBalance::balanceMinor, AccountBalance::heldMinor)
                .containsExactly(7_200L, 0L);
        assertThat(after.conservationViolations()).isEmpty();
    }

    @Test
    void bookingsAfterTheRestartContinueTheEntryIdsAndAThirdStartTakesUpBothRuns() throws IOException {
        Path file = dir.resolve("entries.csv");
        bankOn(file).authorize(purchase(1, PAN, 1_000));
        IssuerBank second = bankOn(file);
        AuthorizationResult later = second.authorize(purchase(2, PAN, 500));

        IssuerBank third = bankOn(file);

        assertThat(later.entries()).singleElement().satisfies(e -> assertThat(e.id()).isEqualTo(2));
        assertThat(third.snapshot().entries()).hasSize(2);
        assertThat(third.balance("ACC1").balanceMinor()).isEqualTo(8_500);
    }

    /** The process killed in the middle of a write: that booking's answer never left, so it is dropped. */
    @Test
    void aLastLineCutShortIsDroppedAndTheLogGoesOnFromTheLineBeforeIt() throws IOException {
        Path file = dir.resolve("entries.csv");
        bankOn(file).authorize(purchase(1, PAN, 1_000));
        closeLog();
        open = null;
        Files.writeString(file, "2,2026-11-26T10:00:00Z,ACC1,debit,40", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        IssuerBank after = bankOn(file);
        after.authorize(purchase(2, PAN, 400));
        IssuerBank again = bankOn(file);

        assertThat(again.snapshot().entries()).hasSize(2);
        assertThat(again.balance("ACC1").balanceMinor()).isEqualTo(8_600);
        assertThat(Files.readAllLines(file)).hasSize(3).allSatisfy(line -> assertThat(line).doesNotContain("debit,40,"));
    }

    @Test
    void aLogThatBooksAnAccountTheCardsDoNotHaveIsRefusedByName() throws IOException {
        Path file = dir.resolve("entries.csv");
        bankOn(file).authorize(purchase(1, OTHER_PAN, 1_000));
        closeLog();
        open = LedgerLog.open(file);

        assertThatThrownBy(() -> new IssuerBank("bank-a", List.of(card("ACC1", PAN, 10_000)), IssuerPolicy.defaults(), CLOCK, open))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ACC2");
    }

    /** A booking the log could not take would not survive a restart: its answer fails and the bank goes off line. */
    @Test
    void aBookingTheLogCannotTakeIsNotAnsweredAndTheBankGoesOffLine() throws IOException {
        IssuerBank bank = bankOn(dir.resolve("entries.csv"));
        open.close(); // the writer gone: every append fails, as on a full or failed disk

        assertThatThrownBy(() -> bank.authorize(purchase(1, PAN, 1_000))).isInstanceOf(java.io.UncheckedIOException.class);

        assertThat(bank.isOnline()).isFalse();
        assertThat(bank.authorize(purchase(2, PAN, 1_000)).responseCode()).isEqualTo(ResponseCode.ISSUER_UNAVAILABLE);
    }

    private static AuthorizationRequest standInPurchaseAdvice(int stan, String rrn) {
        return AuthorizationRequest.of(MessageClass.FINANCIAL_ADVICE, "000000", 1_200, EUR, PAN,
                new RequestReference(ACQUIRER, stan, rrn, TODAY));
    }
}
