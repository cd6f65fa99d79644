package io.isoswitch.sim.issuer;

import static io.isoswitch.sim.issuer.Fixtures.ACQUIRER;
import static io.isoswitch.sim.issuer.Fixtures.CLOCK;
import static io.isoswitch.sim.issuer.Fixtures.TODAY;
import static io.isoswitch.sim.issuer.Fixtures.EUR;
import static io.isoswitch.sim.issuer.Fixtures.card;
import static io.isoswitch.sim.issuer.Fixtures.completion;
import static io.isoswitch.sim.issuer.Fixtures.preAuth;
import static io.isoswitch.sim.issuer.Fixtures.purchase;
import static io.isoswitch.sim.issuer.Fixtures.ref;
import static io.isoswitch.sim.issuer.Fixtures.refund;
import static io.isoswitch.sim.issuer.Fixtures.reversal;
import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.sim.card.CardStatus;
import io.isoswitch.sim.ledger.EntryKind;
import io.isoswitch.sim.ledger.LedgerEntry;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.Test;

class IssuerBankTest {
    static final String PAN = "4111111111111111";
    static final String OTHER_PAN = "5555555555554444";

    final IssuerBank bank = new IssuerBank("bank-a", List.of(card("ACC1", PAN, 10_000), card("ACC2", OTHER_PAN, 500)),
            IssuerPolicy.defaults(), CLOCK);

    ResponseCode code(AuthorizationRequest request) {
        return bank.authorize(request).responseCode();
    }

    @Test
    void approvesAPurchaseAndDebitsTheAccount() {
        AuthorizationResult result = bank.authorize(purchase(1, PAN, 2_500));

        assertThat(result.responseCode()).isEqualTo(ResponseCode.APPROVED);
        assertThat(result.approvalCode()).hasSize(6).containsOnlyDigits();
        assertThat(result.entries()).singleElement().extracting(LedgerEntry::kind).isEqualTo(EntryKind.DEBIT);
        assertThat(result.accountBalance()).get().satisfies(b -> assertThat(b.balanceMinor()).isEqualTo(7_500));
        assertThat(bank.balance("ACC1").balanceMinor()).isEqualTo(7_500);
    }

    @Test
    void answersARepeatWithTheKeptAnswerAndBooksNothing() {
        AuthorizationResult first = bank.authorize(purchase(1, PAN, 2_500));

        AuthorizationResult repeat = bank.authorize(purchase(1, PAN, 2_500));

        assertThat(repeat).isSameAs(first);
        assertThat(bank.snapshot().entries()).hasSize(1);
        assertThat(bank.balance("ACC1").balanceMinor()).isEqualTo(7_500);
    }

    /**
     * Six-digit STANs come round within a day once an acquirer sends a million requests: a request
     * whose STAN an earlier one had that day, at another transmission time, is a new transaction,
     * and a reversal names its original by the time as well (field 90 carries it).
     */
    @Test
    void aStanThatCameRoundTheSameDayAtAnotherTransmissionTimeIsANewTransactionAndReversedByItsTime() {
        AuthorizationResult morning = bank.authorize(purchaseAt(1, "080000", 2_500));

        AuthorizationResult afternoon = bank.authorize(purchaseAt(1, "150000", 1_000));

        assertThat(afternoon).isNotSameAs(morning);
        assertThat(afternoon.responseCode()).isEqualTo(ResponseCode.APPROVED);
        assertThat(bank.balance("ACC1").balanceMinor()).as("both booked").isEqualTo(6_500);
        AuthorizationResult reversed = bank.authorize(AuthorizationRequest.of(MessageClass.REVERSAL, "000000", 1_000, EUR, PAN,
                        new io.isoswitch.sim.ledger.RequestReference(ACQUIRER, 2, "633010000002", TODAY, "150005"))
                .withOriginal(new OriginalData(MessageClass.FINANCIAL, ACQUIRER, 1, TODAY, "150000")));
        assertThat(reversed.responseCode()).isEqualTo(ResponseCode.APPROVED);
        assertThat(bank.balance("ACC1").balanceMinor()).as("the afternoon's purchase reversed, the morning's stands").isEqualTo(7_500);
    }

    private static AuthorizationRequest purchaseAt(int stan, String time, long amount) {
        return AuthorizationRequest.of(MessageClass.FINANCIAL, "000000", amount, EUR, PAN,
                new io.isoswitch.sim.ledger.RequestReference(ACQUIRER, stan, "6330100" + time.substring(0, 5), TODAY, time))
                .withPin(PinCheck.VERIFIED);
    }

    @Test
    void creditsARefundAndAnswersABalanceInquiryWithoutMovingMoney() {
        assertThat(code(refund(1, PAN, 700))).isEqualTo(ResponseCode.APPROVED);

        AuthorizationResult inquiry = bank.authorize(AuthorizationRequest.of(MessageClass.FINANCIAL, "310000", 0, EUR,
                PAN, ref(2)).withPin(PinCheck.VERIFIED));

        assertThat(inquiry.responseCode()).isEqualTo(ResponseCode.APPROVED);
        assertThat(inquiry.entries()).isEmpty();
        assertThat(inquiry.accountBalance()).get().satisfies(b -> assertThat(b.availableMinor()).isEqualTo(10_700));
    }

    @Test
    void holdsAPreAuthorizationAndCapturesItsCompletion() {
        assertThat(code(preAuth(1, PAN, 4_000))).isEqualTo(ResponseCode.APPROVED);
        assertThat(bank.balance("ACC1").availableMinor()).isEqualTo(6_000);

        AuthorizationResult completion = bank.authorize(completion(2, PAN, 4_400, 1));

        assertThat(completion.responseCode()).isEqualTo(ResponseCode.APPROVED);
        assertThat(completion.entries()).extracting(LedgerEntry::kind)
                .containsExactly(EntryKind.RELEASE, EntryKind.CAPTURE);
        assertThat(bank.balance("ACC1").balanceMinor()).isEqualTo(5_600);
        assertThat(bank.balance("ACC1").heldMinor()).isZero();
    }

    @Test
    void refusesACompletionAboveTheToleranceOrWithoutAnOpenHold() {
        bank.authorize(preAuth(1, PAN, 1_000));

        assertThat(code(completion(2, PAN, 1_151, 1))).isEqualTo(ResponseCode.INVALID_AMOUNT);
        assertThat(code(completion(3, PAN, 100, 99))).isEqualTo(ResponseCode.UNABLE_TO_LOCATE_ORIGINAL);
        assertThat(code(completion(4, PAN, 1_150, 1))).isEqualTo(ResponseCode.APPROVED);
        assertThat(code(completion(5, PAN, 100, 1))).isEqualTo(ResponseCode.INVALID_TRANSACTION);
    }

    @Test
    void reversesAPurchaseOnceAndAcknowledgesTheSecondReversalWithoutMovingMoney() {
        bank.authorize(purchase(1, PAN, 2_500));

        AuthorizationResult first = bank.authorize(reversal(2, PAN, 2_500, MessageClass.FINANCIAL, 1));
        AuthorizationResult second = bank.authorize(reversal(3, PAN, 2_500, MessageClass.FINANCIAL, 1));
        AuthorizationResult repeatOfFirst = bank.authorize(reversal(2, PAN, 2_500, MessageClass.FINANCIAL, 1));

        assertThat(first.responseCode()).isEqualTo(ResponseCode.APPROVED);
        assertThat(first.entries()).singleElement().extracting(LedgerEntry::kind).isEqualTo(EntryKind.CREDIT);
        assertThat(second.responseCode()).isEqualTo(ResponseCode.APPROVED);
        assertThat(second.entries()).isEmpty();
        assertThat(repeatOfFirst).isSameAs(first);
        assertThat(bank.balance("ACC1").balanceMinor()).isEqualTo(10_000);
    }

    /**
     * A completion undone (its reversal, after the acquirer timed out or the terminal heard
     * nothing) gives the money back and puts the hold back: the merchant can complete it again, and
     * the cardholder pays once.
     */
    @Test
    void aReversedCompletionPutsTheHoldBackSoThePreAuthorizationCanBeCompletedAgain() {
        bank.authorize(preAuth(1, PAN, 4_000));
        assertThat(code(completion(2, PAN, 4_400, 1))).isEqualTo(ResponseCode.APPROVED);

        AuthorizationResult undone = bank.authorize(reversal(3, PAN, 4_400, MessageClass.FINANCIAL_ADVICE, 2));

        assertThat(undone.entries()).extracting(LedgerEntry::kind).containsExactlyInAnyOrder(EntryKind.HOLD, EntryKind.CREDIT);
        assertThat(bank.balance("ACC1").balanceMinor()).isEqualTo(10_000);
        assertThat(bank.balance("ACC1").heldMinor()).isEqualTo(4_000);
        assertThat(code(completion(4, PAN, 4_100, 1))).isEqualTo(ResponseCode.APPROVED);
        assertThat(code(completion(5, PAN, 100, 1))).isEqualTo(ResponseCode.INVALID_TRANSACTION);
        assertThat(bank.balance("ACC1").balanceMinor()).isEqualTo(5_900);
        assertThat(bank.balance("ACC1").heldMinor()).isZero();
        assertThat(bank.conservationViolations()).isEmpty();
    }

    @Test
    void reversesAPreAuthorizationByReleasingItsHold() {
        bank.authorize(preAuth(1, PAN, 3_000));

        AuthorizationResult result = bank.authorize(reversal(2, PAN, 3_000, MessageClass.AUTHORIZATION, 1));

        assertThat(result.entries()).singleElement().extracting(LedgerEntry::kind).isEqualTo(EntryKind.RELEASE);
        assertThat(bank.balance("ACC1").availableMinor()).isEqualTo(10_000);
        assertThat(code(completion(3, PAN, 3_000, 1))).isEqualTo(ResponseCode.INVALID_TRANSACTION);
    }

    @Test
    void acknowledgesAReversalOfAnUnknownOriginalAndDeclinesThatOriginalIfItArrivesLater() {
        AuthorizationResult reversal = bank.authorize(reversal(2, PAN, 2_500, MessageClass.FINANCIAL, 1));

        assertThat(reversal.responseCode()).isEqualTo(ResponseCode.APPROVED);
        assertThat(reversal.entries()).isEmpty();
        assertThat(code(purchase(1, PAN, 2_500))).isEqualTo(ResponseCode.DO_NOT_HONOUR);
        assertThat(bank.snapshot().entries()).isEmpty();
    }

    @Test
    void aBankThatForgetsReversalsOfUnseenOriginalsApprovesTheOriginalAndOnlyAnotherReversalUndoesIt() {
        bank.rememberReversalsOfUnseenOriginals(false);
        assertThat(bank.authorize(reversal(2, PAN, 2_500, MessageClass.FINANCIAL, 1)).responseCode()).isEqualTo(ResponseCode.APPROVED);

        assertThat(code(purchase(1, PAN, 2_500))).isEqualTo(ResponseCode.APPROVED);
        assertThat(bank.balance("ACC1").availableMinor()).isEqualTo(7_500);
        assertThat(bank.authorize(reversal(3, PAN, 2_500, MessageClass.FINANCIAL, 1)).entries()).hasSize(1);
        assertThat(bank.balance("ACC1").availableMinor()).isEqualTo(10_000);
    }

    @Test
    void reversalOfADeclinedOriginalMovesNothing() {
        bank.authorize(purchase(1, OTHER_PAN, 9_999));
        AuthorizationResult reversal = bank.authorize(reversal(2, OTHER_PAN, 9_999, MessageClass.FINANCIAL, 1));

        assertThat(reversal.responseCode()).isEqualTo(ResponseCode.APPROVED);
        assertThat(reversal.entries()).isEmpty();
    }

    @Test
    void withPartialApprovalsOnApprovesWhatIsAvailableAndItsReversalGivesItBack() {
        assertThat(code(purchase(1, OTHER_PAN, 501))).as("off by default").isEqualTo(ResponseCode.INSUFFICIENT_FUNDS);
        bank.setPartialApprovals(true);

        AuthorizationResult partial = bank.authorize(purchase(2, OTHER_PAN, 800));

        assertThat(partial.responseCode()).isEqualTo(ResponseCode.PARTIAL_APPROVAL);
        assertThat(partial.partialAmountMinor()).hasValue(500);
        assertThat(partial.entries()).singleElement().extracting(LedgerEntry::amountMinor).isEqualTo(500L);
        assertThat(bank.balance("ACC2").availableMinor()).isZero();
        assertThat(code(purchase(3, OTHER_PAN, 1))).as("nothing left to approve").isEqualTo(ResponseCode.INSUFFICIENT_FUNDS);
        assertThat(code(purchase(4, PAN, 2_500))).as("enough: a full approval").isEqualTo(ResponseCode.APPROVED);

        assertThat(code(reversal(5, OTHER_PAN, 500, MessageClass.FINANCIAL, 2))).isEqualTo(ResponseCode.APPROVED);
        assertThat(bank.balance("ACC2").availableMinor()).isEqualTo(500);
        assertThat(bank.conservationViolations()).isEmpty();
    }

    @Test
    void withVipApprovalsOnAnswersAFullApproval11() {
        bank.setVipApprovals(true);

        AuthorizationResult vip = bank.authorize(purchase(1, PAN, 2_500));

        assertThat(vip.responseCode()).isEqualTo(ResponseCode.VIP_APPROVAL);
        assertThat(vip.approved()).isTrue();
        assertThat(vip.partialAmountMinor()).isEmpty();
        assertThat(bank.balance("ACC1").balanceMinor()).isEqualTo(7_500);
        assertThat(code(refund(2, PAN, 100))).as("a refund is no approval of spending").isEqualTo(ResponseCode.APPROVED);
    }

    @Test
    void declinesWithTheCodeOfEachCardProblem() {
        String unknownButLuhnValid = "411111111111112" + io.isoswitch.sim.card.Pans.luhnCheckDigit("411111111111112");
        assertThat(code(purchase(1, unknownButLuhnValid, 100))).isEqualTo(ResponseCode.INVALID_CARD_NUMBER);
        assertThat(code(purchase(2, "4111111111111112", 100))).isEqualTo(ResponseCode.INVALID_CARD_NUMBER);
        assertThat(code(purchase(3, PAN, 0))).isEqualTo(ResponseCode.INVALID_AMOUNT);
        assertThat(code(purchase(4, OTHER_PAN, 501))).isEqualTo(ResponseCode.INSUFFICIENT_FUNDS);
        assertThat(code(purchase(5, PAN, IssuerPolicy.DEFAULT_PER_TRANSACTION_LIMIT_MINOR + 1)))
                .isEqualTo(ResponseCode.EXCEEDS_AMOUNT_LIMIT);
        assertThat(code(purchase(6, PAN, 100).withExpiry(YearMonth.of(2027, 12)))).isEqualTo(ResponseCode.EXPIRED_CARD);
        assertThat(code(purchase(7, PAN, 100).withCvv(CvvCheck.MISMATCH))).isEqualTo(ResponseCode.DO_NOT_HONOUR);
        assertThat(code(purchase(8, PAN, 100).withCvv(CvvCheck.ERROR))).isEqualTo(ResponseCode.SYSTEM_MALFUNCTION);
        assertThat(code(purchase(9, PAN, 100).withPin(PinCheck.ERROR))).isEqualTo(ResponseCode.SYSTEM_MALFUNCTION);
        assertThat(code(AuthorizationRequest.of(MessageClass.FINANCIAL, "000000", 100, 840, PAN, ref(10))))
                .isEqualTo(ResponseCode.NOT_PERMITTED_TO_CARDHOLDER);
        assertThat(code(AuthorizationRequest.of(MessageClass.FINANCIAL, "400000", 100, EUR, PAN, ref(11))))
                .isEqualTo(ResponseCode.INVALID_TRANSACTION);
        assertThat(bank.snapshot().entries()).isEmpty();
    }

    @Test
    void declinesCardsByStatus() {
        bank.setStatus(PAN, CardStatus.LOST);
        assertThat(code(purchase(1, PAN, 100))).isEqualTo(ResponseCode.LOST_CARD);
        bank.setStatus(PAN, CardStatus.STOLEN);
        assertThat(code(purchase(2, PAN, 100))).isEqualTo(ResponseCode.STOLEN_CARD);
        bank.setStatus(PAN, CardStatus.EXPIRED);
        assertThat(code(purchase(3, PAN, 100))).isEqualTo(ResponseCode.EXPIRED_CARD);
        bank.setStatus(PAN, CardStatus.BLOCKED);
        assertThat(code(purchase(4, PAN, 100))).isEqualTo(ResponseCode.DO_NOT_HONOUR);
        bank.setStatus(PAN, CardStatus.ACTIVE);
        assertThat(code(purchase(5, PAN, 100))).isEqualTo(ResponseCode.APPROVED);
    }

    @Test
    void locksTheCardAtTheThirdWrongPinUntilEvenTheRightPinIsRefused() {
        assertThat(code(purchase(1, PAN, 100).withPin(PinCheck.WRONG))).isEqualTo(ResponseCode.INCORRECT_PIN);
        assertThat(code(purchase(2, PAN, 100).withPin(PinCheck.WRONG))).isEqualTo(ResponseCode.INCORRECT_PIN);
        assertThat(code(purchase(3, PAN, 100).withPin(PinCheck.WRONG))).isEqualTo(ResponseCode.PIN_TRIES_EXCEEDED);
        assertThat(code(purchase(4, PAN, 100))).isEqualTo(ResponseCode.PIN_TRIES_EXCEEDED);
        assertThat(code(purchase(5, OTHER_PAN, 100))).isEqualTo(ResponseCode.APPROVED);
    }

    @Test
    void aRepeatedWrongPinCountsOnce() {
        bank.authorize(purchase(1, PAN, 100).withPin(PinCheck.WRONG));
        bank.authorize(purchase(1, PAN, 100).withPin(PinCheck.WRONG));
        bank.authorize(purchase(1, PAN, 100).withPin(PinCheck.WRONG));

        assertThat(code(purchase(2, PAN, 100).withPin(PinCheck.WRONG))).isEqualTo(ResponseCode.INCORRECT_PIN);
    }

    @Test
    void aRightPinResetsTheCountOfWrongOnes() {
        bank.authorize(purchase(1, PAN, 100).withPin(PinCheck.WRONG));
        bank.authorize(purchase(2, PAN, 100).withPin(PinCheck.WRONG));
        bank.authorize(purchase(3, PAN, 100));

        assertThat(code(purchase(4, PAN, 100).withPin(PinCheck.WRONG))).isEqualTo(ResponseCode.INCORRECT_PIN);
    }

    @Test
    void answers91WhileOfflineAndServesTheSameRequestOnceBackOnline() {
        bank.setOnline(false);
        assertThat(code(purchase(1, PAN, 100))).isEqualTo(ResponseCode.ISSUER_UNAVAILABLE);
        bank.setOnline(true);
        assertThat(code(purchase(1, PAN, 100))).isEqualTo(ResponseCode.APPROVED);
    }

    @Test
    void keepsRequestsOfDifferentAcquirersApart() {
        bank.authorize(purchase(1, PAN, 100));
        AuthorizationRequest sameStanOtherAcquirer = new AuthorizationRequest(MessageClass.FINANCIAL, "000000", 100,
                EUR, PAN, null, PinCheck.VERIFIED, CvvCheck.NOT_PRESENT,
                new io.isoswitch.sim.ledger.RequestReference("20000002", 1, "x", Fixtures.TODAY), null);

        assertThat(bank.authorize(sameStanOtherAcquirer).entries()).hasSize(1);
        assertThat(bank.balance("ACC1").balanceMinor()).isEqualTo(9_800);
        assertThat(bank.conservationViolations()).isEmpty();
    }
}
