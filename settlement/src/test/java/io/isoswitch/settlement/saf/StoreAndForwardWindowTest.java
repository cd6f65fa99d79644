package io.isoswitch.settlement.saf;

import static io.isoswitch.settlement.Requests.purchase;
import static io.isoswitch.settlement.Requests.stan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.isoswitch.settlement.Backend;
import io.isoswitch.settlement.BothDatabases;
import io.isoswitch.settlement.Requests;
import io.isoswitch.settlement.db.JournalDatabase;
import io.isoswitch.settlement.journal.CommitListener;
import io.isoswitch.settlement.journal.Journal;
import io.isoswitch.settlement.journal.JournalReader;
import io.isoswitch.settlement.journal.JournalSettings;
import io.isoswitch.settlement.journal.Outcome;
import io.isoswitch.settlement.journal.TransactionState;
import io.isoswitch.testkit.time.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link StoreAndForwardQueue#claim}: a window of an issuer's entries at once, oldest first, none to
 * two consumers, an entry held while an earlier one of its record (or the original it names) is
 * undelivered, everything held behind an entry waiting for its retry; and
 * {@link StoreAndForwardQueue#acknowledgeAll}.
 */
class StoreAndForwardWindowTest extends BothDatabases {
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Outcome STAND_IN = new Outcome(TransactionState.STAND_IN_APPROVED, "00", "S12345", null);
    private final MutableClock clock = MutableClock.startingNow();

    private StoreAndForwardQueue queue(Backend backend) {
        return new StoreAndForwardQueue(on(backend).database(), clock);
    }

    private Journal journal(Backend backend) {
        return new Journal(on(backend).database(), JournalSettings.defaults(), CommitListener.NONE, clock);
    }

    private static String issuer(String name, Backend backend) {
        return name + "-" + backend.name().toLowerCase(Locale.ROOT);
    }

    /** Queues {@code count} timeout reversals for {@code issuer}; their journal ids in queue order. */
    private List<UUID> queueReversals(Backend backend, String issuer, int count) {
        List<UUID> ids = new ArrayList<>();
        try (Journal journal = journal(backend)) {
            String terminal = Requests.newTerminalId();
            for (int i = 1; i <= count; i++) {
                ids.add(reversal(journal, terminal, i, issuer));
            }
        }
        return ids;
    }

    private static UUID reversal(Journal journal, String terminal, int stan, String issuer) {
        UUID id = journal.recordSent(purchase("node-a", terminal, stan(stan), stan * 100L, issuer)).join().entry().id();
        journal.transition(id, TransactionState.SENT, TransactionState.REVERSAL_PENDING,
                SafRequest.reversal(issuer, "68", stan * 100L, "840")).join();
        return id;
    }

    /** A stand-in approval with its advice queued. */
    private static UUID standIn(Journal journal, String terminal, int stan, String issuer) {
        return journal.recordResolved(purchase("node-a", terminal, stan(stan), 500L, issuer), STAND_IN,
                SafRequest.advice(issuer, "0220", 500L, "840")).join().entry().id();
    }

    /** The terminal reverses stand-in approval {@code id}: a 0420 queued behind its advice. */
    private static void reverseStandIn(Journal journal, UUID id, String issuer) {
        assertThat(journal.transition(id, TransactionState.STAND_IN_APPROVED, TransactionState.REVERSAL_PENDING,
                new SafRequest(SafKind.REVERSAL, issuer, "0420", "17", 500L, "840")).join().applied()).isTrue();
    }

    private static List<UUID> records(List<SafEntry> entries) {
        return entries.stream().map(e -> e.original().id()).toList();
    }

    private static List<StoreAndForwardQueue.Acknowledgement> answers(List<SafEntry> entries) {
        return entries.stream().map(e -> new StoreAndForwardQueue.Acknowledgement(e, null)).toList();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void claimsAWindowOldestFirstAndGivesNoEntryToTwoConsumers(Backend backend) {
        String issuer = issuer("window", backend);
        List<UUID> journalIds = queueReversals(backend, issuer, 10);
        StoreAndForwardQueue queue = queue(backend);

        List<SafEntry> first = queue.claim(issuer, "consumer-1", LEASE, 4).join();
        List<SafEntry> second = queue.claim(issuer, "consumer-2", LEASE, 4).join();
        List<SafEntry> third = queue.claim(issuer, "consumer-1", LEASE, 4).join();

        assertThat(records(first)).isEqualTo(journalIds.subList(0, 4));
        assertThat(records(second)).as("what another consumer holds is passed over").isEqualTo(journalIds.subList(4, 8));
        assertThat(records(third)).isEqualTo(journalIds.subList(8, 10));
        assertThat(queue.claim(issuer, "consumer-2", LEASE, 4).join()).isEmpty();
        assertThat(first).allSatisfy(e -> {
            assertThat(e.attempts()).isEqualTo(1);
            assertThat(e.isRepeat()).isFalse();
            assertThat(e.claimedBy()).isEqualTo("consumer-1");
        });
        assertThat(queue.summary(issuer).join().inFlight()).as("entries under a live claim").isEqualTo(10);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aReversalWaitsUntilTheAdviceOfItsRecordIsDeliveredWhileOtherEntriesGo(Backend backend) {
        String issuer = issuer("advice-first", backend);
        UUID approval;
        UUID unrelated;
        try (Journal journal = journal(backend)) {
            String terminal = Requests.newTerminalId();
            approval = standIn(journal, terminal, 1, issuer);
            reverseStandIn(journal, approval, issuer);
            unrelated = reversal(journal, terminal, 2, issuer);
        }
        StoreAndForwardQueue queue = queue(backend);

        List<SafEntry> window = queue.claim(issuer, "consumer-1", LEASE, 10).join();
        assertThat(window).extracting(e -> e.request().kind()).containsExactly(SafKind.ADVICE, SafKind.REVERSAL);
        assertThat(records(window)).containsExactly(approval, unrelated);
        assertThat(queue.claim(issuer, "consumer-2", LEASE, 10).join()).as("the 0420 waits for its advice").isEmpty();

        assertThat(queue.acknowledgeAll(answers(window.subList(1, 2))).join()).containsExactly(true);
        assertThat(queue.claim(issuer, "consumer-2", LEASE, 10).join()).as("still: the advice is out, not answered").isEmpty();
        assertThat(queue.acknowledgeAll(answers(window.subList(0, 1))).join()).containsExactly(true);

        List<SafEntry> after = queue.claim(issuer, "consumer-2", LEASE, 10).join();
        assertThat(after).extracting(e -> e.request().messageType()).containsExactly("0420");
        assertThat(records(after)).containsExactly(approval);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aCompletionAdviceWaitsForTheAdviceOfThePreauthorizationItNames(Backend backend) {
        String issuer = issuer("completion", backend);
        UUID preauth;
        UUID completion;
        try (Journal journal = journal(backend)) {
            String terminal = Requests.newTerminalId();
            preauth = journal.recordResolved(Requests.request("node-a", terminal, stan(1), "0100", "PREAUTH", "000000", 900L, issuer),
                    STAND_IN, SafRequest.advice(issuer, "0120", 900L, "840")).join().entry().id();
            completion = journal.recordResolved(Requests.request("node-a", terminal, stan(2), "0220", "PREAUTH_COMPLETION_ADVICE",
                            "000000", 800L, issuer).withOriginalId(preauth),
                    new Outcome(TransactionState.APPROVED, "00", "A12345", null), SafRequest.advice(issuer, "0220", 800L, "840"))
                    .join().entry().id();
        }
        StoreAndForwardQueue queue = queue(backend);

        List<SafEntry> window = queue.claim(issuer, "consumer-1", LEASE, 10).join();
        assertThat(records(window)).as("field 90 of the 0220 names what the 0120 tells").containsExactly(preauth);
        queue.acknowledgeAll(answers(window)).join();
        assertThat(records(queue.claim(issuer, "consumer-1", LEASE, 10).join())).containsExactly(completion);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void anEntryWaitingForItsRetryHoldsBackEveryEntryBehindIt(Backend backend) {
        String issuer = issuer("barrier", backend);
        List<UUID> journalIds = queueReversals(backend, issuer, 5);
        StoreAndForwardQueue queue = queue(backend);

        List<SafEntry> window = queue.claim(issuer, "consumer-1", LEASE, 2).join();
        assertThat(queue.retryLater(window.get(1), clock.instant().plusSeconds(60), "no answer").join()).isTrue();
        assertThat(queue.claim(issuer, "consumer-1", LEASE, 10).join()).as("the issuer backs off: nothing behind it goes").isEmpty();
        assertThat(queue.acknowledgeAll(answers(window.subList(0, 1))).join()).containsExactly(true);
        assertThat(queue.claim(issuer, "consumer-1", LEASE, 10).join()).isEmpty();

        clock.advance(Duration.ofSeconds(60));
        List<SafEntry> after = queue.claim(issuer, "consumer-2", LEASE, 10).join();
        assertThat(records(after)).isEqualTo(journalIds.subList(1, 5));
        assertThat(after.getFirst().attempts()).isEqualTo(2);
        assertThat(after.getFirst().isRepeat()).isTrue();
        assertThat(after.getFirst().lastError()).isEqualTo("no answer");
    }

    /**
     * Regression: an entry that failed for a reason of its own (the switch could not build it) held
     * its issuer's whole queue while it waited for its retry, as a failure of the link does.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void anEntryThatFailedAloneHoldsBackOnlyWhatConcernsItsRecordWhileTheRestGo(Backend backend) {
        String issuer = issuer("alone", backend);
        UUID approval;
        List<UUID> unrelated = new ArrayList<>();
        try (Journal journal = journal(backend)) {
            String terminal = Requests.newTerminalId();
            approval = standIn(journal, terminal, 1, issuer);
            reverseStandIn(journal, approval, issuer);
            unrelated.add(reversal(journal, terminal, 2, issuer));
            unrelated.add(reversal(journal, terminal, 3, issuer));
        }
        StoreAndForwardQueue queue = queue(backend);
        SafEntry advice = queue.claim(issuer, "consumer-1", LEASE, 1).join().getFirst();
        assertThat(advice.request().kind()).isEqualTo(SafKind.ADVICE);

        assertThat(queue.retryAlone(advice, clock.instant().plusSeconds(60), "cannot be built (X)").join()).isTrue();

        List<SafEntry> window = queue.claim(issuer, "consumer-1", LEASE, 10).join();
        assertThat(records(window)).as("the unrelated reversals go; the 0420 waits for its advice").isEqualTo(unrelated);
        assertThat(queue.acknowledgeAll(answers(window)).join()).containsExactly(true, true);
        assertThat(queue.claim(issuer, "consumer-1", LEASE, 10).join()).isEmpty();

        clock.advance(Duration.ofSeconds(60));
        List<SafEntry> again = queue.claim(issuer, "consumer-2", LEASE, 10).join();
        assertThat(again).extracting(SafEntry::id).containsExactly(advice.id());
        assertThat(again.getFirst().lastError()).isEqualTo("cannot be built (X)");
        // a failure of the link afterwards holds everything behind it again
        assertThat(queue.retryLater(again.getFirst(), clock.instant().plusSeconds(60), "no answer").join()).isTrue();
        try (Journal journal = journal(backend)) {
            reversal(journal, Requests.newTerminalId(), 4, issuer);
        }
        assertThat(queue.claim(issuer, "consumer-2", LEASE, 10).join()).as("the issuer backs off").isEmpty();
    }

    /**
     * An entry that keeps failing on its own is abandoned at the claim once its failures began
     * {@link StoreAndForwardQueue#FAILED_ALONE_STOP} ago: not handed out (not sent) again, whoever
     * claims it, counted in the summary, its last attempt saying so; its record is left as it was.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void anEntryPastItsRetryStopIsAbandonedWhereItWouldBeClaimedAndNotSentAgain(Backend backend) {
        String issuer = issuer("stop", backend);
        List<UUID> journalIds = queueReversals(backend, issuer, 2);
        StoreAndForwardQueue queue = queue(backend);
        SafEntry failing = queue.claim(issuer, "consumer-1", LEASE, 1).join().getFirst();
        assertThat(queue.retryAlone(failing, clock.instant().plusSeconds(30), "cannot be built (X)").join()).isTrue();
        List<SafEntry> behind = queue.claim(issuer, "consumer-1", LEASE, 10).join();
        assertThat(records(behind)).containsExactly(journalIds.get(1));
        queue.acknowledgeAll(answers(behind)).join();

        // it fails on its own again and again; its stop runs from the first of those failures
        clock.advance(StoreAndForwardQueue.FAILED_ALONE_STOP.minusSeconds(30));
        SafEntry last = queue.claim(issuer, "consumer-1", LEASE, 10).join().getFirst();
        assertThat(last.id()).as("before its stop it is still tried").isEqualTo(failing.id());
        assertThat(queue.retryAlone(last, clock.instant().plusSeconds(30), "cannot be built (X)").join()).isTrue();
        clock.advance(Duration.ofSeconds(30));

        StoreAndForwardQueue.Claimed claimed = queue.claimWindow(issuer, "consumer-2", LEASE, 10).join();
        assertThat(claimed.entries()).as("past its stop: not handed out").isEmpty();
        assertThat(claimed.abandoned()).extracting(SafEntry::id).containsExactly(failing.id());
        assertThat(claimed.abandoned().getFirst().lastError()).isEqualTo("cannot be built (X)");
        assertThat(queue.claimWindow(issuer, "consumer-1", LEASE, 10).join().abandoned()).as("abandoned once").isEmpty();

        SafSummary summary = queue.summary(issuer).join();
        assertThat(summary.abandoned()).isEqualTo(1);
        assertThat(summary.pending()).isZero();
        assertThat(queue.attempts(failing.id()).join()).extracting(SafAttempt::outcome).last().isEqualTo(SafAttempt.Outcome.ABANDONED);
        assertThat(new JournalReader(on(backend).database()).findById(journalIds.get(0)).join().orElseThrow().state())
                .as("not reversed: for operations to settle").isEqualTo(TransactionState.REVERSAL_PENDING);
    }

    /**
     * A void's issuer reversal, held until the void's answer reached its terminal
     * ({@link SafRequest#heldFor}): the entries behind it go while it waits, a link coming back
     * ({@link StoreAndForwardQueue#dueNow}) does not make it due, and it goes once released
     * ({@link io.isoswitch.settlement.journal.VoidReversals#releaseHeld}), or once its hold is over.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void aHeldReversalLetsTheEntriesBehindItGoAndGoesOnceReleasedOrItsHoldIsOver(Backend backend) {
        String issuer = issuer("held", backend);
        UUID heldId;
        UUID releasedId;
        UUID behindId;
        try (Journal journal = journal(backend)) {
            String terminal = Requests.newTerminalId();
            heldId = heldReversal(journal, terminal, 1, issuer);
            releasedId = heldReversal(journal, terminal, 2, issuer);
            behindId = reversal(journal, terminal, 3, issuer);
        }
        StoreAndForwardQueue queue = queue(backend);
        var voids = new io.isoswitch.settlement.journal.VoidReversals(on(backend).database(), clock);

        assertThat(queue.dueNow(issuer).join()).as("made due by a link coming back").isZero();
        List<SafEntry> first = queue.claim(issuer, "consumer-1", LEASE, 10).join();
        assertThat(records(first)).as("only the entry behind the held ones").containsExactly(behindId);
        queue.acknowledgeAll(answers(first)).join();

        assertThat(voids.releaseHeld(releasedId).join()).isEqualTo(1);
        assertThat(voids.releaseHeld(releasedId).join()).as("released once").isZero();
        List<SafEntry> released = queue.claim(issuer, "consumer-1", LEASE, 10).join();
        assertThat(records(released)).containsExactly(releasedId);
        queue.acknowledgeAll(answers(released)).join();

        clock.advance(Duration.ofSeconds(91));
        assertThat(records(queue.claim(issuer, "consumer-1", LEASE, 10).join())).as("its hold over").containsExactly(heldId);
    }

    /**
     * A node's start holds again what is still held, for the whole hold from now: a restart longer
     * than the hold delivered, before terminals could reconnect, the reversals of voids whose answers
     * died with the process.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void aNodesStartHoldsAgainWhatIsStillHeldAndNothingElse(Backend backend) {
        String issuer = issuer("held-again", backend);
        UUID heldId;
        UUID dueId;
        try (Journal journal = journal(backend)) {
            String terminal = Requests.newTerminalId();
            heldId = heldReversal(journal, terminal, 1, issuer);
            dueId = reversal(journal, terminal, 2, issuer);
        }
        StoreAndForwardQueue queue = queue(backend);
        var voids = new io.isoswitch.settlement.journal.VoidReversals(on(backend).database(), clock);
        clock.advance(Duration.ofSeconds(120)); // a restart longer than the hold

        assertThat(voids.holdAgain(Duration.ofSeconds(90)).join()).isEqualTo(1);
        List<SafEntry> due = queue.claim(issuer, "consumer-1", LEASE, 10).join();
        assertThat(records(due)).as("only what was not held").containsExactly(dueId);
        queue.acknowledgeAll(answers(due)).join();

        clock.advance(Duration.ofSeconds(91));
        assertThat(records(queue.claim(issuer, "consumer-1", LEASE, 10).join())).containsExactly(heldId);
    }

    /**
     * Judge VK: the void of a completion, heard by its terminal, whose release died with the node, keeps
     * its reversal held; the terminal completes the pre-authorization again. That completion's advice
     * waits behind the held reversal of its sibling, or the issuer, whose pre-authorization is still
     * completed, declines it.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void aCompletionAdviceWaitsBehindTheHeldReversalOfAnotherCompletionOfItsPreAuthorization(Backend backend) {
        String issuer = issuer("sibling", backend);
        UUID voided;
        UUID again;
        try (Journal journal = journal(backend)) {
            String terminal = Requests.newTerminalId();
            UUID preauth = journal.recordSent(Requests.request("node-a", terminal, stan(1), "0100", "PREAUTH", "000000", 900L, issuer))
                    .join().entry().id();
            journal.recordOutcome(preauth, new Outcome(TransactionState.APPROVED, "00", "A00001", null)).join();
            voided = journal.recordResolved(Requests.request("node-a", terminal, stan(2), "0220", "PREAUTH_COMPLETION_ADVICE",
                    "000000", 800L, issuer).withOriginalId(preauth), new Outcome(TransactionState.APPROVED, "00", "A00001", null),
                    null).join().entry().id();
            journal.transition(voided, TransactionState.APPROVED, TransactionState.REVERSAL_PENDING,
                    SafRequest.reversal(issuer, "17", 800L, "840").held(Duration.ofSeconds(90))).join();
            again = journal.recordResolved(Requests.request("node-a", terminal, stan(3), "0220", "PREAUTH_COMPLETION_ADVICE",
                    "000000", 700L, issuer).withOriginalId(preauth), new Outcome(TransactionState.APPROVED, "00", "A00001", null),
                    SafRequest.advice(issuer, "0220", 700L, "840")).join().entry().id();
        }
        StoreAndForwardQueue queue = queue(backend);

        assertThat(queue.claim(issuer, "consumer-1", LEASE, 10).join()).as("the advice waits behind the held reversal").isEmpty();
        clock.advance(Duration.ofSeconds(91));
        List<SafEntry> reversal = queue.claim(issuer, "consumer-1", LEASE, 10).join();
        assertThat(records(reversal)).containsExactly(voided);
        queue.acknowledgeAll(answers(reversal)).join();
        assertThat(records(queue.claim(issuer, "consumer-1", LEASE, 10).join())).containsExactly(again);
    }

    /** A purchase moved to REVERSAL_PENDING with its reversal queued held for 90 s, as a void's is. */
    private static UUID heldReversal(Journal journal, String terminal, int stan, String issuer) {
        UUID id = journal.recordSent(purchase("node-a", terminal, stan(stan), stan * 100L, issuer)).join().entry().id();
        journal.recordOutcome(id, new Outcome(TransactionState.APPROVED, "00", "A00001", null)).join();
        journal.transition(id, TransactionState.APPROVED, TransactionState.REVERSAL_PENDING,
                SafRequest.reversal(issuer, "17", stan * 100L, "840").held(Duration.ofSeconds(90))).join();
        return id;
    }

    /**
     * An entry {@linkplain StoreAndForwardQueue#setAside set aside} (its card under a data key the
     * node that tried it lacks) is passed over while it waits, the entries behind it go, and it is
     * never abandoned: it has no retry stop, and one running from an earlier failure of its own is cleared.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void anEntrySetAsideLetsTheEntriesBehindItGoAndIsNeverAbandonedForIt(Backend backend) {
        String issuer = issuer("aside", backend);
        List<UUID> journalIds = queueReversals(backend, issuer, 2);
        StoreAndForwardQueue queue = queue(backend);
        SafEntry head = queue.claim(issuer, "consumer-1", LEASE, 1).join().getFirst();
        assertThat(queue.setAside(head, clock.instant().plusSeconds(30), "data key unavailable: key 0A1B2C").join()).isTrue();

        List<SafEntry> behind = queue.claim(issuer, "consumer-1", LEASE, 10).join();
        assertThat(records(behind)).as("the entry behind it goes").containsExactly(journalIds.get(1));
        queue.acknowledgeAll(answers(behind)).join();

        clock.advance(StoreAndForwardQueue.FAILED_ALONE_STOP.plusSeconds(30));
        StoreAndForwardQueue.Claimed claimed = queue.claimWindow(issuer, "consumer-2", LEASE, 10).join();
        assertThat(claimed.abandoned()).as("no retry stop").isEmpty();
        assertThat(claimed.entries()).extracting(SafEntry::id).containsExactly(head.id());
        assertThat(claimed.entries().getFirst().lastError())
                .isEqualTo(StoreAndForwardQueue.SET_ASIDE + "data key unavailable: key 0A1B2C");
    }

    /**
     * Regression: setting an entry aside cleared the retry stop a node holding the key had started
     * (it could not build the entry), so a keyless node claiming it once an hour kept an entry no
     * node can send from ever being abandoned, and the entries of its record waited behind it for good.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void anEntryFailingOnItsOwnWhereTheKeyIsHeldIsAbandonedAtItsStopThoughKeylessNodesSetItAside(Backend backend) {
        String issuer = issuer("aside-stop", backend);
        queueReversals(backend, issuer, 1);
        StoreAndForwardQueue queue = queue(backend);
        SafEntry head = queue.claim(issuer, "consumer-1", LEASE, 1).join().getFirst();
        assertThat(queue.retryAlone(head, clock.instant().plusSeconds(30), "cannot be built (X)").join()).isTrue();
        clock.advance(Duration.ofSeconds(30));
        head = queue.claim(issuer, "consumer-2", LEASE, 1).join().getFirst();
        assertThat(queue.setAside(head, clock.instant().plusSeconds(30), "data key unavailable: key 0A1B2C").join()).isTrue();

        clock.advance(StoreAndForwardQueue.FAILED_ALONE_STOP.plusSeconds(30));
        StoreAndForwardQueue.Claimed claimed = queue.claimWindow(issuer, "consumer-1", LEASE, 10).join();
        assertThat(claimed.entries()).as("not claimed again").isEmpty();
        assertThat(claimed.abandoned()).extracting(SafEntry::id).as("abandoned at the stop its own failure began")
                .containsExactly(head.id());
    }

    /**
     * Regression: a claim read at most {@code max + SCAN_SLACK} entries from the oldest, so more
     * entries than that failing on their own at the head hid every good entry behind them: the
     * issuer's later reversals were never sent while the head failed alone.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void aGoodEntryBehindMoreEntriesFailingAloneThanOneReadHoldsIsStillClaimed(Backend backend) {
        String issuer = issuer("many-alone", backend);
        int failing = 1 + SafWindowClaims.SCAN_SLACK;
        try (Journal journal = journal(backend)) {
            String terminal = Requests.newTerminalId();
            List<java.util.concurrent.CompletableFuture<?>> queued = new ArrayList<>();
            for (int i = 1; i <= failing; i++) {
                int stan = i;
                queued.add(journal.recordSent(purchase("node-a", terminal, stan(stan), stan * 100L, issuer))
                        .thenCompose(sent -> journal.transition(sent.entry().id(), TransactionState.SENT,
                                TransactionState.REVERSAL_PENDING, SafRequest.reversal(issuer, "68", stan * 100L, "840"))));
            }
            queued.forEach(java.util.concurrent.CompletableFuture::join);
        }
        StoreAndForwardQueue queue = queue(backend);
        int failed = 0;
        for (List<SafEntry> window = queue.claim(issuer, "consumer-1", LEASE, StoreAndForwardQueue.MAX_CLAIM).join(); !window.isEmpty();
             window = queue.claim(issuer, "consumer-1", LEASE, StoreAndForwardQueue.MAX_CLAIM).join()) {
            window.stream().map(e -> queue.retryAlone(e, clock.instant().plusSeconds(30), "cannot be built (X)"))
                    .toList().forEach(retry -> assertThat(retry.join()).isTrue());
            failed += window.size();
        }
        assertThat(failed).isEqualTo(failing);
        UUID good;
        try (Journal journal = journal(backend)) {
            good = reversal(journal, Requests.newTerminalId(), 1, issuer);
        }

        assertThat(records(queue.claim(issuer, "consumer-2", LEASE, 1).join())).containsExactly(good);
    }

    /** Failures of the link stop nothing: a reversal is repeated for as long as its issuer is down. */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void failuresOfTheLinkHaveNoRetryStop(Backend backend) {
        String issuer = issuer("no-stop", backend);
        queueReversals(backend, issuer, 1);
        StoreAndForwardQueue queue = queue(backend);
        SafEntry entry = queue.claim(issuer, "consumer-1", LEASE, 1).join().getFirst();
        assertThat(queue.retryLater(entry, clock.instant().plusSeconds(30), "no answer").join()).isTrue();

        clock.advance(StoreAndForwardQueue.FAILED_ALONE_STOP.multipliedBy(3));

        assertThat(queue.claim(issuer, "consumer-1", LEASE, 1).join()).extracting(SafEntry::id).containsExactly(entry.id());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aConsumerKilledMidWindowLosesNothingItsAnswersCountOnceAndTheRestGoAgainAsRepeats(Backend backend) {
        String issuer = issuer("crash", backend);
        List<UUID> journalIds = queueReversals(backend, issuer, 6);
        StoreAndForwardQueue queue = queue(backend);
        JournalReader reader = new JournalReader(on(backend).database());

        // node-a sends six, hears two answers, and dies before the others come back
        List<SafEntry> window = queue.claim(issuer, "node-a", LEASE, 6).join();
        assertThat(queue.acknowledgeAll(answers(List.of(window.get(1), window.get(4)))).join()).containsExactly(true, true);
        assertThat(queue.claim(issuer, "node-b", LEASE, 6).join()).as("its leases hold until they expire").isEmpty();

        // a surviving node takes over once the leases run out
        clock.advance(LEASE);
        List<SafEntry> again = queue.claim(issuer, "node-b", LEASE, 6).join();
        assertThat(records(again)).containsExactly(journalIds.get(0), journalIds.get(2), journalIds.get(3), journalIds.get(5));
        assertThat(again).allSatisfy(e -> assertThat(e.isRepeat()).as("sent as 0401").isTrue());
        // a late answer of the dead node's (written by its restart) and the survivor's: each counts once
        assertThat(queue.acknowledgeAll(answers(List.of(window.get(0), window.get(1)))).join()).containsExactly(true, false);
        assertThat(queue.acknowledgeAll(answers(again)).join()).containsExactly(false, true, true, true);

        assertThat(queue.summary(issuer).join().pending()).isZero();
        for (int i = 0; i < window.size(); i++) {
            assertThat(reader.findById(journalIds.get(i)).join().orElseThrow().state()).isEqualTo(TransactionState.REVERSED);
            assertThat(queue.attempts(window.get(i).id()).join())
                    .filteredOn(a -> a.outcome() == SafAttempt.Outcome.ACKNOWLEDGED).hasSize(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aRestartedConsumerReleasesItsWholeWindowAtOnce(Backend backend) {
        String issuer = issuer("restart", backend);
        queueReversals(backend, issuer, 4);
        StoreAndForwardQueue queue = queue(backend);
        queue.claim(issuer, "node-a", LEASE, 4).join();

        assertThat(queue.releaseLeasesOf("node-a").join()).isEqualTo(4);

        assertThat(queue.claim(issuer, "node-a", LEASE, 8).join()).hasSize(4).allSatisfy(e -> assertThat(e.attempts()).isEqualTo(2));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void acknowledgeAllDoesWhatAcknowledgeDoesForEachAnswerInOneTransaction(Backend backend) {
        String issuer = issuer("ack-all", backend);
        UUID reversed = queueReversals(backend, issuer, 1).getFirst();
        UUID declined;
        try (Journal journal = journal(backend)) {
            declined = standIn(journal, Requests.newTerminalId(), 1, issuer);
        }
        StoreAndForwardQueue queue = queue(backend);
        List<SafEntry> window = queue.claim(issuer, "consumer-1", LEASE, 2).join();

        List<Boolean> first = queue.acknowledgeAll(List.of(new StoreAndForwardQueue.Acknowledgement(window.get(0), null),
                new StoreAndForwardQueue.Acknowledgement(window.get(1), "05"),
                new StoreAndForwardQueue.Acknowledgement(window.get(0), null))).join();

        assertThat(first).containsExactly(true, true, false);
        JournalReader reader = new JournalReader(on(backend).database());
        assertThat(reader.findById(reversed).join().orElseThrow().state()).isEqualTo(TransactionState.REVERSED);
        assertThat(reader.findById(declined).join().orElseThrow().state()).isEqualTo(TransactionState.STAND_IN_APPROVED);
        assertThat(queue.declinedAdvices(Requests.BUSINESS_DATE).join()).extracting(DeclinedAdvice::journalId).contains(declined);
        assertThat(queue.attempts(window.get(1).id()).join()).extracting(SafAttempt::detail).containsExactly("advice declined 05");
        assertThat(queue.acknowledgeAll(answers(window)).join()).containsExactly(false, false);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void refusesAWindowOutOfBounds(Backend backend) {
        StoreAndForwardQueue queue = queue(backend);
        assertThatThrownBy(() -> queue.claim("x", "c", LEASE, 0)).hasMessageContaining("max");
        assertThatThrownBy(() -> queue.claim("x", "c", LEASE, StoreAndForwardQueue.MAX_CLAIM + 1)).hasMessageContaining("max");
    }

    /**
     * Two nodes (two pools) claim windows of one issuer's queue at once and acknowledge what they
     * claimed: every entry is claimed exactly once, and a stand-in approval's 0420 only once its
     * advice was acknowledged.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void twoNodesClaimingWindowsAtOnceDeliverEveryEntryOnceAndAdvicesBeforeTheirReversals(Backend backend) throws Exception {
        String issuer = issuer("two-nodes", backend);
        int entries = 0;
        try (Journal journal = journal(backend)) {
            String terminal = Requests.newTerminalId();
            for (int i = 1; i <= 40; i++) {
                if (i % 4 == 0) {
                    reverseStandIn(journal, standIn(journal, terminal, i, issuer), issuer);
                    entries += 2;
                } else {
                    reversal(journal, terminal, i, issuer);
                    entries++;
                }
            }
        }
        List<SafEntry> claims = Collections.synchronizedList(new ArrayList<>());
        CyclicBarrier start = new CyclicBarrier(2);
        java.util.concurrent.ExecutorService nodes = java.util.concurrent.Executors.newFixedThreadPool(2);
        try (JournalDatabase otherNode = on(backend).openAnotherNode()) {
            StoreAndForwardQueue a = queue(backend);
            StoreAndForwardQueue b = new StoreAndForwardQueue(otherNode, clock);
            var first = java.util.concurrent.CompletableFuture.runAsync(() -> consume(a, issuer, "node-a", start, claims), nodes);
            var second = java.util.concurrent.CompletableFuture.runAsync(() -> consume(b, issuer, "node-b", start, claims), nodes);
            first.get(60, java.util.concurrent.TimeUnit.SECONDS);
            second.get(60, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            nodes.shutdownNow();
        }

        assertThat(claims).hasSize(entries);
        assertThat(claims.stream().map(SafEntry::id).distinct()).hasSize(entries);
        assertThat(claims).allSatisfy(e -> assertThat(e.attempts()).isEqualTo(1));
    }

    /**
     * Claims windows of up to 3 and acknowledges each window's entries last first, until the
     * issuer's queue is empty; checks that each 0420 it claims has its advice acknowledged already.
     */
    private static void consume(StoreAndForwardQueue queue, String issuer, String consumer, CyclicBarrier start,
                                List<SafEntry> claims) {
        try {
            start.await();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        while (queue.summary(issuer).join().pending() > 0) {
            List<SafEntry> window = queue.claim(issuer, consumer, LEASE, 3).join();
            claims.addAll(window);
            for (SafEntry entry : window) {
                if (entry.request().messageType().equals("0420")) {
                    SafEntry advice;
                    synchronized (claims) {
                        advice = claims.stream().filter(e -> e.original().id().equals(entry.original().id())
                                && e.request().kind() == SafKind.ADVICE).findFirst()
                                .orElseThrow(() -> new AssertionError("a 0420 claimed before its advice"));
                    }
                    assertThat(queue.attempts(advice.id()).join()).as("the advice was answered before its 0420 went")
                            .extracting(SafAttempt::outcome).contains(SafAttempt.Outcome.ACKNOWLEDGED);
                }
            }
            List<SafEntry> lastFirst = new ArrayList<>(window);
            Collections.reverse(lastFirst);
            for (SafEntry entry : lastFirst) {
                assertThat(queue.acknowledgeAll(answers(List.of(entry))).join()).containsExactly(true);
            }
        }
    }
}
