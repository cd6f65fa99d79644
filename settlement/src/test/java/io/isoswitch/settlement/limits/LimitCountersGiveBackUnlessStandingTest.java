package io.isoswitch.settlement.limits;

import static io.isoswitch.settlement.Requests.purchase;
import static io.isoswitch.settlement.Requests.stan;
import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.settlement.Backend;
import io.isoswitch.settlement.BothDatabases;
import io.isoswitch.settlement.Requests;
import io.isoswitch.settlement.journal.CommitListener;
import io.isoswitch.settlement.journal.IdempotencyKey;
import io.isoswitch.settlement.journal.Journal;
import io.isoswitch.settlement.journal.JournalRequest;
import io.isoswitch.settlement.journal.Outcome;
import io.isoswitch.settlement.journal.TransactionState;
import io.isoswitch.settlement.saf.SafRequest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The journal decides a request's daily shares and stand-in allowance: given back, once, unless its
 * record stands; kept while it is in flight (SENT).
 */
class LimitCountersGiveBackUnlessStandingTest extends BothDatabases {

    @ParameterizedTest
    @EnumSource(Backend.class)
    void sharesFollowWhatTheRecordSays(Backend backend) {
        LimitCounters counters = counters(backend);
        String issuer = "stands-" + backend.name().toLowerCase(java.util.Locale.ROOT);
        String terminal = Requests.newTerminalId();
        JournalRequest approved = purchase("n", terminal, stan(1), 1_000, issuer);
        JournalRequest reversed = purchase("n", terminal, stan(2), 2_000, issuer);
        JournalRequest inFlight = purchase("n", terminal, stan(3), 3_000, issuer);
        JournalRequest neverWritten = purchase("n", terminal, stan(4), 4_000, issuer);
        UUID approvedId;
        UUID reversedId;
        UUID inFlightId;
        try (Journal journal = journal(backend, CommitListener.NONE)) {
            for (JournalRequest r : List.of(approved, reversed, inFlight, neverWritten)) {
                counters.tryIncrement(sharesOf(r)).join();
            }
            approvedId = journal.recordSent(approved).join().entry().id();
            journal.recordOutcome(approvedId, Outcome.approved("000001")).join();
            reversedId = journal.recordSent(reversed).join().entry().id();
            journal.recordOutcome(reversedId, Outcome.approved("000002")).join();
            journal.transition(reversedId, TransactionState.APPROVED, TransactionState.REVERSAL_PENDING,
                    SafRequest.reversal(issuer, "96", 2_000, "840")).join();
            inFlightId = journal.recordSent(inFlight).join().entry().id();
        }

        assertThat(counters.giveBackUnlessStanding(approvedId, List.of()).join()).as("an issuer approval: not its stand-in share")
                .isEqualTo(1);
        assertThat(counters.giveBackUnlessStanding(reversedId, List.of()).join()).as("reversed: all four").isEqualTo(4);
        assertThat(counters.giveBackUnlessStanding(reversedId, List.of()).join()).as("once").isZero();
        assertThat(counters.giveBackUnlessStanding(inFlightId, List.of()).join()).as("in flight").isZero();
        assertThat(counters.giveBackUnlessStanding(UUID.randomUUID(), sharesOf(neverWritten)).join()).as("never written")
                .isEqualTo(4);

        assertThat(counters.current(sharesOf(approved).get(1).key()).join()).as("the terminal's purchases: the approval and the one in flight")
                .contains(new CounterValue(2, 4_000));
        assertThat(counters.current(sharesOf(approved).getLast().key()).join()).as("the approved card's stand-in allowance")
                .contains(new CounterValue(0, 0));
        assertThat(counters.current(sharesOf(inFlight).getLast().key()).join()).as("the stand-in allowance of the card in flight")
                .contains(new CounterValue(1, 3_000));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aDeadNodesAllowancesWithoutAStandInApprovalAreGivenBackAndNoOther(Backend backend) {
        LimitCounters counters = counters(backend);
        String issuer = "held-" + backend.name().toLowerCase(java.util.Locale.ROOT);
        String terminal = Requests.newTerminalId();
        JournalRequest standing = purchase("dead", terminal, stan(1), 1_000, issuer);
        JournalRequest neverWritten = purchase("dead", terminal, stan(2), 2_000, issuer);
        JournalRequest takenOver = purchase("dead", terminal, stan(3), 3_000, issuer);
        for (JournalRequest r : List.of(standing, neverWritten, takenOver)) {
            counters.tryIncrement(List.of(sharesOf(r).getLast()), "dead").join();
        }
        // the resend of this one reached "alive", which holds its allowance now
        assertThat(counters.tryIncrement(List.of(sharesOf(takenOver).getLast()), "alive").join())
                .isEqualTo(new LimitDecision.Accepted(List.of(sharesOf(takenOver).getLast())));
        try (Journal journal = journal(backend, CommitListener.NONE)) {
            journal.recordResolved(standing, new Outcome(TransactionState.STAND_IN_APPROVED, "00", "S00001", null), null).join();
        }

        assertThat(counters.giveBackHeldAllowances("dead").join()).isEqualTo(1);
        assertThat(counters.giveBackHeldAllowances("dead").join()).as("once; the standing one no longer held").isZero();
        assertThat(counters.current(sharesOf(standing).getLast().key()).join()).contains(new CounterValue(1, 1_000));
        assertThat(counters.current(sharesOf(neverWritten).getLast().key()).join()).contains(new CounterValue(0, 0));
        assertThat(counters.current(sharesOf(takenOver).getLast().key()).join()).contains(new CounterValue(1, 3_000));
    }

    /**
     * Regression: a refund answered 96 kept its share of its purchase only while the journal said
     * nothing of it; the settlement of its owed reversal decided its daily shares alone, so a share
     * kept until then (for a repeat told the refund stands) was never given back when it did not.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void aRefundsShareOfItsPurchaseIsGivenBackUnlessTheRefundStands(Backend backend) {
        LimitCounters counters = counters(backend);
        String issuer = "refund-" + backend.name().toLowerCase(java.util.Locale.ROOT);
        String terminal = Requests.newTerminalId();
        UUID reversedsPurchase;
        UUID standingsPurchase;
        UUID reversedRefund;
        UUID standingRefund;
        try (Journal journal = journal(backend, CommitListener.NONE)) {
            reversedsPurchase = approved(journal, purchase("n", terminal, stan(1), 5_000, issuer));
            standingsPurchase = approved(journal, purchase("n", terminal, stan(2), 5_000, issuer));
            JournalRequest reversed = refund(terminal, stan(3), reversedsPurchase, issuer);
            JournalRequest standing = refund(terminal, stan(4), standingsPurchase, issuer);
            assertThat(counters.tryIncrement(List.of(wholeRefundOf(reversedsPurchase, reversed))).join())
                    .isInstanceOf(LimitDecision.Accepted.class);
            assertThat(counters.tryIncrement(List.of(wholeRefundOf(standingsPurchase, standing))).join())
                    .isInstanceOf(LimitDecision.Accepted.class);
            // both answered 96 (outcome in doubt); one's owed reversal applied, the other's found it told to a repeat
            reversedRefund = approved(journal, reversed);
            journal.transition(reversedRefund, TransactionState.APPROVED, TransactionState.REVERSAL_PENDING,
                    SafRequest.reversal(issuer, "96", 5_000, "840")).join();
            standingRefund = approved(journal, standing);
        }

        assertThat(counters.giveBackUnlessStanding(reversedRefund, List.of()).join()).as("reversed: its share of its purchase")
                .isEqualTo(1);
        assertThat(counters.giveBackUnlessStanding(standingRefund, List.of()).join()).as("standing: kept").isZero();
        JournalRequest later = refund(terminal, stan(5), reversedsPurchase, issuer);
        assertThat(counters.tryIncrement(List.of(wholeRefundOf(reversedsPurchase, later))).join())
                .as("a later refund of the whole of the purchase whose refund was reversed").isInstanceOf(LimitDecision.Accepted.class);
        JournalRequest twice = refund(terminal, stan(6), standingsPurchase, issuer);
        assertThat(counters.tryIncrement(List.of(wholeRefundOf(standingsPurchase, twice))).join())
                .as("a second refund of the whole of the purchase whose refund stands").isInstanceOf(LimitDecision.Refused.class);
    }

    /**
     * Regression: an approval counted again (a repeat told it stands) after its terminal's reversal
     * had moved it and given its shares back took them again, and the card counted a reversed
     * purchase for the rest of the day.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void anApprovalIsCountedAgainOnlyWhileItStands(Backend backend) {
        LimitCounters counters = counters(backend);
        String issuer = "again-" + backend.name().toLowerCase(java.util.Locale.ROOT);
        String terminal = Requests.newTerminalId();
        JournalRequest standing = purchase("n", terminal, stan(1), 1_000, issuer);
        JournalRequest reversed = purchase("n", terminal, stan(2), 2_000, issuer);
        UUID standingId;
        UUID reversedId;
        try (Journal journal = journal(backend, CommitListener.NONE)) {
            standingId = approved(journal, standing);
            reversedId = approved(journal, reversed);
            journal.transition(reversedId, TransactionState.APPROVED, TransactionState.REVERSAL_PENDING,
                    SafRequest.reversal(issuer, "98", 2_000, "840")).join();
        }
        List<CounterIncrement> daily = sharesOf(standing).subList(0, 3);
        assertThat(counters.tryIncrementIfStanding(standingId, daily).join()).as("standing").isTrue();
        assertThat(counters.tryIncrementIfStanding(standingId, daily).join()).as("standing, counted once").isTrue();
        assertThat(counters.tryIncrementIfStanding(reversedId, sharesOf(reversed).subList(0, 3)).join()).as("reversed").isFalse();
        assertThat(counters.tryIncrementIfStanding(UUID.randomUUID(), daily).join()).as("no record").isFalse();

        assertThat(counters.current(daily.get(1).key()).join()).as("the terminal's purchases: the one that stands, once")
                .contains(new CounterValue(1, 1_000));
    }

    private static UUID approved(Journal journal, JournalRequest request) {
        UUID id = journal.recordSent(request).join().entry().id();
        journal.recordOutcome(id, Outcome.approved("000001")).join();
        return id;
    }

    private static JournalRequest refund(String terminal, String stan, UUID purchase, String issuer) {
        return Requests.request("n", terminal, stan, "0200", "REFUND", "200000", 5_000, issuer).withOriginalId(purchase);
    }

    /** The refund's share of all of its purchase's 5,000 (as the switch takes it: under the purchase's id, up to its amount). */
    private static CounterIncrement wholeRefundOf(UUID purchase, JournalRequest refund) {
        IdempotencyKey k = refund.key();
        return new CounterIncrement(new CounterKey(CounterKind.ORIGINAL, purchase.toString(), Requests.BUSINESS_DATE, "REFUND", "840"),
                5_000, new CounterLimit(Long.MAX_VALUE, 5_000),
                LimitCounters.contributor(k.terminalId(), k.stan(), k.transactionDate(), k.mtiClass()));
    }

    /** A request's daily shares (card, terminal, merchant) and a stand-in allowance, as the switch takes them. */
    private static List<CounterIncrement> sharesOf(JournalRequest r) {
        IdempotencyKey k = r.key();
        String contributor = LimitCounters.contributor(k.terminalId(), k.stan(), k.transactionDate(), k.mtiClass());
        CounterLimit none = CounterLimit.UNLIMITED;
        return List.of(
                new CounterIncrement(new CounterKey(CounterKind.CARD, r.card().panTokenHex(), r.businessDate(), r.transactionType(),
                        r.currency()), r.amountMinor(), none, contributor),
                new CounterIncrement(new CounterKey(CounterKind.TERMINAL, r.terminalId(), r.businessDate(), r.transactionType(),
                        r.currency()), r.amountMinor(), none, contributor),
                new CounterIncrement(new CounterKey(CounterKind.MERCHANT, r.merchantId(), r.businessDate(), r.transactionType(),
                        r.currency()), r.amountMinor(), none, contributor),
                new CounterIncrement(new CounterKey(CounterKind.CARD, r.card().panTokenHex(), r.businessDate(), "STAND_IN",
                        r.currency()), r.amountMinor(), none, contributor));
    }
}
