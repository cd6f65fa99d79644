package io.isoswitch.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.settlement.JournalNotReachedException;
import io.isoswitch.settlement.JournalUnavailableException;
import io.isoswitch.settlement.db.JournalDatabase;
import io.isoswitch.settlement.journal.CardReference;
import io.isoswitch.settlement.journal.CommitListener;
import io.isoswitch.settlement.journal.IssuerLeg;
import io.isoswitch.settlement.journal.Journal;
import io.isoswitch.settlement.journal.JournalReader;
import io.isoswitch.settlement.journal.JournalRequest;
import io.isoswitch.settlement.journal.JournalSettings;
import io.isoswitch.settlement.journal.Outcome;
import io.isoswitch.settlement.journal.TransactionState;
import io.isoswitch.settlement.limits.CounterIncrement;
import io.isoswitch.settlement.limits.CounterKey;
import io.isoswitch.settlement.limits.CounterKind;
import io.isoswitch.settlement.limits.CounterLimit;
import io.isoswitch.settlement.limits.CounterValue;
import io.isoswitch.settlement.limits.LimitCounters;
import io.isoswitch.settlement.saf.SafEntry;
import io.isoswitch.settlement.saf.SafRequest;
import io.isoswitch.settlement.saf.StoreAndForwardQueue;
import io.isoswitch.testkit.time.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link UnknownOutcomes} on a real journal, H2 and PostgreSQL: a reversal owed for a stand-in
 * approval whose write never committed (so the journal holds no record) is neither retried for ever
 * nor dropped while the record may still come; it is abandoned, once, after its grace.
 */
class UnknownOutcomesTest {
    private static final String ISSUER = "bank-u";
    private static final LocalDate DAY = LocalDate.of(2026, 11, 27);
    private static final SafRequest OWED = SafRequest.reversal(ISSUER, "96", 2_500, "156");
    private final MutableClock clock = MutableClock.startingNow();
    private final List<UUID> abandoned = Collections.synchronizedList(new ArrayList<>());
    private final UnknownOutcomes.Abandoned listener = (id, reversal, since) -> abandoned.add(id);

    @TempDir
    Path dir;

    private static JournalBackend backend(String name) {
        return name.equals("h2") ? JournalBackend.h2() : JournalBackend.postgres(UnknownOutcomesTest.class);
    }

    /** A journal on a fresh database of {@code kind} (h2, postgresql), closed with its database. */
    private OpenJournal open(String kind) {
        JournalBackend backend = backend(kind);
        JournalDatabase database = null;
        try {
            database = JournalDatabase.open(backend.config(4, 5_000).toDatabaseConfig());
            return new OpenJournal(backend, database, new Journal(database, JournalSettings.defaults(), CommitListener.NONE, clock));
        } catch (RuntimeException e) {
            new OpenJournal(backend, database, null).close();
            throw e;
        }
    }

    /** Closes the journal, then its database, then the backend (any of the first two may be missing). */
    private record OpenJournal(JournalBackend backend, JournalDatabase database, Journal journal) implements AutoCloseable {
        @Override
        @SuppressWarnings("try") // closed, not used
        public void close() {
            try (backend; database; journal) {
                // closed in reverse order
            }
        }
    }

    private static JournalRequest purchase() {
        String terminal = "T" + String.format("%07d", ThreadLocalRandom.current().nextInt(10_000_000));
        CardReference card = new CardReference(new byte[32], "476173******0119", null, null);
        return new JournalRequest("node-a", DAY, terminal, "M00000000000042", "000001", DAY, "0200",
                LocalDateTime.of(2026, 11, 27, 11, 15, 30), "PURCHASE", "000000", 2_500, "156", card,
                new IssuerLeg(ISSUER, "000001", "633012000001", Instant.parse("2026-11-27T10:15:30Z")), null);
    }

    /**
     * Regression: the reversal owed for a stand-in approval answered 96 whose write never committed
     * was retried every watch round for ever ("no such journal record"), its terminal's repeats
     * answered 96 for ever.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aReversalOwedForARecordThatNeverCommittedIsAbandonedOnceAfterItsGraceNotBefore(String kind) {
        try (OpenJournal open = open(kind)) {
            UnknownOutcomes outcomes = new UnknownOutcomes(open.journal(), clock, listener);
            UUID never = UUID.randomUUID();
            outcomes.add(never, OWED).join();

            assertThat(outcomes.reverseOwed().join()).isZero();
            clock.advance(UnknownOutcomes.OWED_RECORD_GRACE.minusSeconds(1));
            assertThat(outcomes.reverseOwed().join()).isZero();
            assertThat(outcomes.isOwed(never)).as("within its grace the record may still come").isTrue();
            assertThat(abandoned).isEmpty();

            clock.advance(Duration.ofSeconds(1));
            outcomes.reverseOwed().join();
            assertThat(outcomes.size()).as("not retried any more").isZero();
            assertThat(outcomes.isOwed(never)).isFalse();
            assertThat(abandoned).containsExactly(never);
            outcomes.reverseOwed().join();
            assertThat(abandoned).as("abandoned once").hasSize(1);
        }
    }

    /**
     * The stand-in allowance a request took whose write never committed is given back when its owed
     * reversal is abandoned: with no record nothing stands, and the card would otherwise be refused
     * stand-in for the rest of the day. Not before the grace: the record may still come.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void anAbandonedReversalGivesBackTheAllowanceItsNeverWrittenRequestTook(String kind) {
        try (OpenJournal open = open(kind)) {
            LimitCounters counters = new LimitCounters(open.database(), clock);
            CounterIncrement allowance = new CounterIncrement(new CounterKey(CounterKind.CARD, "token-" + UUID.randomUUID(), DAY,
                    "STAND_IN", "156"), 2_500, CounterLimit.UNLIMITED, LimitCounters.contributor("T0000042", "000042", DAY, "02"));
            counters.tryIncrement(List.of(allowance)).join();
            UnknownOutcomes outcomes = UnknownOutcomes.durable(open.journal(), dir.resolve("owed-" + kind + ".txt"), clock, listener,
                    counters);
            clock.advance(Duration.ofSeconds(1)); // its write fails after the allowance was taken
            UUID never = UUID.randomUUID();
            outcomes.addIfInDoubt(never, new IllegalStateException("connection lost during the commit"), OWED, List.of(allowance)).join();

            outcomes.reverseOwed().join();
            assertThat(counters.current(allowance.key()).join()).as("within the grace").contains(new CounterValue(1, 2_500));
            clock.advance(UnknownOutcomes.OWED_RECORD_GRACE);
            outcomes.reverseOwed().join();

            assertThat(abandoned).containsExactly(never);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(counters.current(allowance.key()).join()).contains(new CounterValue(0, 0)));
        }
    }

    /**
     * Regression: a resend that took over the shares of an earlier attempt answered 96 (the resend
     * adopts them) and was approved in stand-in with its write in doubt left them held when its
     * record turned out never written: only the shares it took itself were given back, and the card
     * counted a purchase that never stood for the rest of the day. Now the journal decides them by
     * the request's identity: given back when no record under it stands, kept when one does (an
     * earlier attempt approved after all). Not before the grace: the record may still come.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void sharesTakenOverByANeverWrittenStandInApprovalFollowTheJournalOnceItsReversalIsAbandoned(String kind) {
        try (OpenJournal open = open(kind)) {
            Journal journal = open.journal();
            LimitCounters counters = new LimitCounters(open.database(), clock);
            UnknownOutcomes outcomes = UnknownOutcomes.durable(journal, dir.resolve("owed-" + kind + ".txt"), clock, listener, counters);
            JournalRequest nothingStands = purchase();
            JournalRequest approvedAfterAll = purchase();
            CounterIncrement takenOver = shareOf(nothingStands);
            CounterIncrement ofAStandingRequest = shareOf(approvedAfterAll);
            counters.tryIncrement(List.of(takenOver)).join();
            counters.tryIncrement(List.of(ofAStandingRequest)).join();
            journal.recordResolved(approvedAfterAll, Outcome.approved("123456"), null).join();
            clock.advance(Duration.ofSeconds(1));
            Throwable inDoubt = new IllegalStateException("connection lost during the commit");
            UUID never = UUID.randomUUID();
            UUID neverEither = UUID.randomUUID();
            outcomes.addIfInDoubt(never, inDoubt, OWED, List.of(), List.of(takenOver)).join();
            outcomes.addIfInDoubt(neverEither, inDoubt, OWED, List.of(), List.of(ofAStandingRequest)).join();

            outcomes.reverseOwed().join();
            assertThat(counters.current(takenOver.key()).join()).as("within the grace").contains(new CounterValue(1, 2_500));
            clock.advance(UnknownOutcomes.OWED_RECORD_GRACE);
            outcomes.reverseOwed().join();

            assertThat(abandoned).containsExactlyInAnyOrder(never, neverEither);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(counters.current(takenOver.key()).join()).as("no record under its identity")
                            .contains(new CounterValue(0, 0)));
            assertThat(counters.current(ofAStandingRequest.key()).join()).as("its request approved after all")
                    .contains(new CounterValue(1, 2_500));
            outcomes.reverseOwed().join();
            assertThat(counters.current(takenOver.key()).join()).as("given back once").contains(new CounterValue(0, 0));
        }
    }

    /**
     * Regression: an owed reversal abandoned because its record never appeared gave back the shares
     * its request took ({@code ifAbsent}) by the record's id alone. A resend of the same request that
     * took those shares over, journaled as new and approved, then stood with no counts: the card
     * could go past its limits by that amount. They now go as the journal decides by the request's
     * identity, as the shares it took over do.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void sharesOfANeverWrittenApprovalAreKeptWhenAResendOfItsRequestStands(String kind) {
        try (OpenJournal open = open(kind)) {
            Journal journal = open.journal();
            LimitCounters counters = new LimitCounters(open.database(), clock);
            UnknownOutcomes outcomes = UnknownOutcomes.durable(journal, dir.resolve("owed-" + kind + ".txt"), clock, listener, counters);
            JournalRequest resentAndApproved = purchase();
            JournalRequest nothingStands = purchase();
            CounterIncrement ofTheResent = shareOf(resentAndApproved);
            CounterIncrement ofNothing = shareOf(nothingStands);
            counters.tryIncrement(List.of(ofTheResent, ofNothing)).join();
            clock.advance(Duration.ofSeconds(1)); // the first attempt's write fails after its shares were taken
            Throwable inDoubt = new IllegalStateException("connection lost during the commit");
            UUID firstAttempt = UUID.randomUUID();
            UUID another = UUID.randomUUID();
            outcomes.addIfInDoubt(firstAttempt, inDoubt, OWED, List.of(ofTheResent), List.of()).join();
            outcomes.addIfInDoubt(another, inDoubt, OWED, List.of(ofNothing), List.of()).join();
            // the resend: journaled as new (another record id), approved, standing on the shares
            journal.recordResolved(resentAndApproved, Outcome.approved("123456"), null).join();

            clock.advance(UnknownOutcomes.OWED_RECORD_GRACE);
            outcomes.reverseOwed().join();

            assertThat(abandoned).containsExactlyInAnyOrder(firstAttempt, another);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(counters.current(ofNothing.key()).join()).as("no record under its identity")
                            .contains(new CounterValue(0, 0)));
            outcomes.reverseOwed().join();
            assertThat(counters.current(ofTheResent.key()).join()).as("its request approved on the resend")
                    .contains(new CounterValue(1, 2_500));
        }
    }

    /**
     * Regression: a stand-in approval whose write the journal refused for want of a connection (the
     * database out of reach: one caller probes, the rest are refused at once) was taken for a write
     * in doubt, so a reversal was owed for a record that could never exist, the card's stand-in
     * allowance held for {@link UnknownOutcomes#OWED_RECORD_GRACE} and then abandoned at ERROR.
     * Nothing of that write reached the database: nothing is owed (the caller gives the allowance
     * back at once). A write whose connection broke during the commit is still in doubt, and owed.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aWriteThatNeverReachedTheDatabaseOwesNoReversalAndOneLostDuringItsCommitDoes(String kind) {
        try (OpenJournal open = open(kind)) {
            UnknownOutcomes outcomes = new UnknownOutcomes(open.journal(), clock, listener);
            UUID refused = UUID.randomUUID();
            Throwable notReached = new java.util.concurrent.CompletionException(new JournalNotReachedException(
                    "journal batch of 1 failed: no connection to the database, nothing written", null));
            assertThat(UnknownOutcomes.inDoubt(notReached)).isFalse();
            outcomes.addIfInDoubt(refused, notReached, OWED, List.of()).join();
            assertThat(outcomes.isOwed(refused)).as("owed for a write that never reached the database").isFalse();
            assertThat(outcomes.size()).isZero();

            UUID lost = UUID.randomUUID();
            Throwable inDoubt = new java.util.concurrent.CompletionException(new JournalUnavailableException(
                    "journal batch of 1 failed (SQLState 08006): database unavailable", null));
            outcomes.addIfInDoubt(lost, inDoubt, OWED, List.of()).join();
            assertThat(outcomes.isOwed(lost)).as("owed for a write lost during its commit").isTrue();
        }
    }

    /**
     * The limit shares of requests not approved that could not be given back when they were answered
     * (the database away: DatabaseOutageChaosTest found card counters 6 to 11 above what stands, every
     * one the share of a request the journal holds no record of) are given back once the database
     * answers, as the journal decides: a request with no record or one that does not stand gives its
     * share back; one approved after all keeps it; one whose record is still SENT waits for it to be
     * resolved; a share a resend of the request took again since is the resend's.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void sharesNotGivenBackWhileTheDatabaseWasAwayAreGivenBackOnceItAnswersAsTheJournalDecides(String kind) {
        try (OpenJournal open = open(kind)) {
            LimitCounters counters = new LimitCounters(open.database(), clock);
            UnknownOutcomes outcomes = UnknownOutcomes.durable(open.journal(), dir.resolve("owed-" + kind + ".txt"), clock, listener,
                    counters);
            JournalRequest neverWritten = purchase();
            JournalRequest resent = purchase();
            JournalRequest approvedAfterAll = purchase();
            JournalRequest stillSent = purchase();
            CounterIncrement lost = shareOf(neverWritten);
            CounterIncrement adopted = shareOf(resent);
            CounterIncrement standing = shareOf(approvedAfterAll);
            CounterIncrement inFlight = shareOf(stillSent);
            for (CounterIncrement share : List.of(lost, adopted, standing, inFlight)) {
                counters.tryIncrement(List.of(share)).join();
            }
            open.journal().recordResolved(approvedAfterAll, Outcome.approved("123456"), null).join();
            UUID sent = ((io.isoswitch.settlement.journal.SentResult.Recorded) open.journal().recordSent(stillSent).join()).entry().id();
            clock.advance(Duration.ofSeconds(1));

            outcomes.giveBackLater(List.of(lost, adopted, standing, inFlight));
            clock.advance(Duration.ofSeconds(1));
            counters.tryIncrement(List.of(adopted)).join(); // the terminal's resend takes it again
            outcomes.reverseOwed().join();

            assertThat(counters.current(lost.key()).join()).as("no record").contains(new CounterValue(0, 0));
            assertThat(counters.current(adopted.key()).join()).as("taken again by a resend").contains(new CounterValue(1, 2_500));
            assertThat(counters.current(standing.key()).join()).as("approved after all").contains(new CounterValue(1, 2_500));
            assertThat(counters.current(inFlight.key()).join()).as("still SENT").contains(new CounterValue(1, 2_500));
            assertThat(outcomes.sharesToGiveBack()).as("left for its record to be resolved").isEqualTo(1);

            open.journal().transition(sent, TransactionState.SENT, TransactionState.REVERSAL_PENDING, OWED).join();
            outcomes.reverseOwed().join();
            assertThat(counters.current(inFlight.key()).join()).as("its record reversed").contains(new CounterValue(0, 0));
            assertThat(outcomes.sharesToGiveBack()).isZero();
        }
    }

    /** A long outage's backlog of shares to give back goes a bounded number of requests a pass, not all at once. */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void sharesToGiveBackGoAtMostABoundedNumberOfRequestsAPass(String kind) {
        try (OpenJournal open = open(kind)) {
            UnknownOutcomes outcomes = UnknownOutcomes.durable(open.journal(), dir.resolve("owed-" + kind + ".txt"), clock, listener,
                    new LimitCounters(open.database(), clock));
            for (int i = 0; i <= UnknownOutcomes.GIVE_BACKS_PER_PASS; i++) {
                outcomes.giveBackLater(List.of(shareOf(purchase())));
            }
            outcomes.reverseOwed().join();
            assertThat(outcomes.sharesToGiveBack()).as("left for the next pass").isEqualTo(1);
            outcomes.reverseOwed().join();
            assertThat(outcomes.sharesToGiveBack()).isZero();
        }
    }

    /** The card's daily purchase share {@code request} takes, under its identity. */
    private static CounterIncrement shareOf(JournalRequest request) {
        return new CounterIncrement(new CounterKey(CounterKind.CARD, "token-" + UUID.randomUUID(), DAY, "PURCHASE", "156"), 2_500,
                CounterLimit.UNLIMITED, LinkedTransactions.contributor(request));
    }

    /** A commit the database held back shows its record within the grace: the reversal is paid as any other. */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aRecordThatAppearsWithinItsGraceIsReversedBehindItsAdvice(String kind) {
        try (OpenJournal open = open(kind)) {
            UnknownOutcomes outcomes = new UnknownOutcomes(open.journal(), clock, listener);
            UUID late = UUID.randomUUID();
            outcomes.add(late, OWED).join();
            assertThat(outcomes.reverseOwed().join()).isZero();

            clock.advance(UnknownOutcomes.OWED_RECORD_GRACE.minusMinutes(1));
            open.journal().recordResolved(late, purchase(), new Outcome(TransactionState.STAND_IN_APPROVED, "00", "S12345", null),
                    SafRequest.advice(ISSUER, "0220", 2_500, "156")).join();
            assertThat(outcomes.reverseOwed().join()).isEqualTo(1);

            assertThat(abandoned).isEmpty();
            assertThat(new JournalReader(open.database()).findById(late).join().orElseThrow().state())
                    .isEqualTo(TransactionState.REVERSAL_PENDING);
            assertThat(new StoreAndForwardQueue(open.database(), clock).pending(ISSUER).join()).extracting(e -> e.request().messageType())
                    .containsExactly("0220", "0420");
            assertThat(new StoreAndForwardQueue(open.database(), clock).pending(ISSUER).join()).extracting(SafEntry::original)
                    .allSatisfy(e -> assertThat(e.id()).isEqualTo(late));
        }
    }

    /**
     * What a previous process owed for a record this journal does not hold is not dropped at the
     * start (its commit may still be held up), but owed a grace from the start; once abandoned, the
     * file says so and the next start owes nothing.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aRecordMissingAtTheStartGetsItsGraceAndOnceAbandonedIsNotOwedAgainAfterARestart(String kind) {
        Path file = dir.resolve("owed-reversals-" + kind + ".txt");
        try (OpenJournal open = open(kind)) {
            UUID missing = UUID.randomUUID();
            new OwedReversalsFile(file).owed(missing, OWED);

            UnknownOutcomes started = UnknownOutcomes.durable(open.journal(), file, clock, listener, null);
            assertThat(started.isOwed(missing)).as("kept at the start").isTrue();
            started.reverseOwed().join();
            assertThat(started.size()).isEqualTo(1);

            clock.advance(UnknownOutcomes.OWED_RECORD_GRACE);
            started.reverseOwed().join();
            assertThat(abandoned).containsExactly(missing);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> new OwedReversalsFile(file).read().isEmpty());

            UnknownOutcomes restarted = UnknownOutcomes.durable(open.journal(), file, clock, listener, null);
            assertThat(restarted.size()).as("the abandoned line is read as settled").isZero();
        }
    }

    /**
     * Regression (review15s HIGH 1): the owed reversal of an approval moved its record to
     * REVERSAL_PENDING and nothing else, so settlement, which nets an approval out only when a
     * reversal row names it, paid the merchant and cleared the sale. It now journals, in the same
     * transaction as the move, one approved REVERSAL row naming the record on its business date, as
     * a terminal's reversal is journaled; none for a record never approved (SENT: nothing to net
     * out), none again when the owed reversal is replayed (a restart reading the file). The row
     * carries the record's terminal, STAN and date, yet is never found where an original is looked for.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void anOwedReversalOfAnApprovalJournalsOneReversalNamingItThatIsNeverTakenForAnOriginal(String kind) {
        try (OpenJournal open = open(kind)) {
            UnknownOutcomes outcomes = new UnknownOutcomes(open.journal(), clock, listener);
            JournalRequest approvedRequest = purchase();
            UUID approved = open.journal().recordResolved(approvedRequest, Outcome.approved("A12345"), null).join().entry().id();
            UUID sent = open.journal().recordSent(purchase()).join().entry().id();
            outcomes.add(approved, OWED).join();
            outcomes.add(sent, OWED).join();

            assertThat(outcomes.reverseOwed().join()).isEqualTo(2);

            JournalReader reader = new JournalReader(open.database());
            assertThat(reader.findLinked(approved).join()).singleElement().satisfies(reversal -> {
                assertThat(reversal.request().transactionType()).isEqualTo("REVERSAL");
                assertThat(reversal.state()).isEqualTo(TransactionState.APPROVED);
                assertThat(reversal.outcome().state()).isEqualTo(TransactionState.APPROVED);
                assertThat(reversal.request().businessDate()).isEqualTo(DAY);
                assertThat(reversal.request().amountMinor()).isEqualTo(2_500);
                assertThat(reversal.request().issuer()).isNull();
            });
            assertThat(reader.findLinked(sent).join()).isEmpty();
            assertThat(reader.findByTerminalStan(approvedRequest.terminalId(), "000001", DAY).join())
                    .extracting(e -> e.id()).containsExactly(approved);
            assertThat(reader.findOriginal(approvedRequest.terminalId(), "000001", DAY, 2_500).join())
                    .hasValueSatisfying(e -> assertThat(e.id()).isEqualTo(approved));

            outcomes.add(approved, OWED).join();
            assertThat(outcomes.reverseOwed().join()).isZero();
            assertThat(reader.findLinked(approved).join()).hasSize(1);
        }
    }
}
