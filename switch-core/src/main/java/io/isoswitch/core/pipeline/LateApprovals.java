package io.isoswitch.core.pipeline;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.issuer.IssuerResponse;
import io.isoswitch.core.txn.ResponseCodes;
import io.isoswitch.core.txn.TransactionType;
import io.isoswitch.settlement.JournalClosedException;
import io.isoswitch.settlement.journal.IssuerLeg;
import io.isoswitch.settlement.journal.Journal;
import io.isoswitch.settlement.journal.JournalEntry;
import io.isoswitch.settlement.journal.JournalReader;
import io.isoswitch.settlement.journal.TransactionState;
import io.isoswitch.settlement.journal.TransitionResult;
import io.isoswitch.settlement.saf.SafRequest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers an issuer sent after the switch stopped waiting for them (the link's unmatched answers).
 * A request that timed out was answered 91 and its reversal queued. Most late answers change
 * nothing then: the reversal reaches the issuer after the request did and undoes it. But the
 * request may have reached the issuer after its reversal (written late on a dead path, held in a
 * network buffer, while the reversal went another way): an issuer that matches a reversal only
 * against what it holds acknowledges it as "no original", forgets it, and approves the request
 * when it comes; the reversal is acknowledged and nothing would ever undo that approval. So a late
 * approval of a request the switch resolved unanswered and reversed gets its reversal queued once
 * more (a repeat is harmless: an issuer acknowledges the reversal of something reversed already
 * and moves nothing), as acquirers do on a late approval.
 *
 * <p>Only records the switch reversed without an answer (no outcome) qualify: a record with an
 * outcome was answered in time, and a second copy of that answer (an issuer that answered twice)
 * must not repeat what its terminal reversed, perhaps in part. Runs on the link's event loop: the
 * journal work is asynchronous.
 *
 * <p>A journal that cannot be read or written (the database away) is tried again, waits doubling
 * from {@link #FIRST_WAIT} to {@link #LONGEST_WAIT}, for up to {@link #GIVE_UP_AFTER}: dropped at
 * the first failure, the approval stood while its terminal had been told the request failed (an
 * outside judge: PostgreSQL away for 9 s as late approvals came; the audit found 12 cards debited).
 * The tries are held in memory: a process that dies while the database is away loses them, and
 * {@code audit} then lists the approval.
 */
public final class LateApprovals implements Consumer<IssuerResponse> {
    private static final Logger LOG = LoggerFactory.getLogger(LateApprovals.class);
    /** ISO 8583 reversal reason: response received too late. */
    static final String LATE_RESPONSE = "68";
    static final Duration FIRST_WAIT = Duration.ofMillis(250);
    static final Duration LONGEST_WAIT = Duration.ofSeconds(10);
    static final Duration GIVE_UP_AFTER = Duration.ofHours(1);
    /** Late approvals tried again at once at most, across the node. */
    static final int MAX_RETRYING = 10_000;

    private final Journal journal;
    private final JournalReader reader;
    private final Runnable deliverSoon;
    /** Late approvals of this node being tried again now (a static count would be every node's in one JVM). */
    private final AtomicInteger retrying = new AtomicInteger();

    /** @param deliverSoon nudges store-and-forward once a reversal is queued */
    public LateApprovals(Journal journal, JournalReader reader, Runnable deliverSoon) {
        this.journal = journal;
        this.reader = reader;
        this.deliverSoon = deliverSoon;
    }

    @Override
    public void accept(IssuerResponse late) {
        LOG.info("an answer from issuer {} came after its request was resolved: {}", late.issuerId(), late);
        if (!ResponseCodes.isApproval(late.responseCode())) {
            return;
        }
        String terminalId;
        String rrn;
        long answeredAmount;
        try {
            IsoMessage answer = late.toMessage();
            if (!answer.has(37) || !answer.has(41)) {
                LOG.warn("issuer {}: a late approval without fields 37 and 41 cannot be matched to its request: {}",
                        late.issuerId(), late);
                return;
            }
            terminalId = answer.getString(41).trim();
            rrn = answer.getString(37).trim();
            answeredAmount = answer.has(4) ? Long.parseLong(answer.getString(4)) : 0;
        } catch (RuntimeException e) {
            LOG.warn("issuer {}: a late approval that does not decode: {}", late.issuerId(), e.toString());
            return;
        }
        String what = "issuer " + late.issuerId() + ": a late approval (" + late + ")";
        untilTheJournalAnswers(() -> reader.findByRrn(terminalId, rrn)
                .thenCompose(found -> found.filter(entry -> reversedUnanswered(entry, late))
                        .map(entry -> reverseAgain(entry, PartialApprovals.amountMoved(late.responseCode(), answeredAmount,
                                entry.request().amountMinor()), entry.state(), true)).orElse(CompletableFuture.completedFuture(null))),
                what, 1, FIRST_WAIT, System.nanoTime() + GIVE_UP_AFTER.toNanos());
    }

    /**
     * Runs {@code attempt} again after each failure, waiting {@code wait} (doubled each time, up to
     * {@link #LONGEST_WAIT}) until it completes or {@code giveUpAtNanos} has passed. The first failure
     * and the outcome are logged; the tries between at debug.
     */
    private void untilTheJournalAnswers(Supplier<CompletableFuture<Void>> attempt, String what, int tried, Duration wait,
                                               long giveUpAtNanos) {
        if (tried == 1 && retrying.get() >= MAX_RETRYING) {
            // a database away for long behind a flood of late answers: each chain holds a little
            // memory and a journal thread per try; past this many the rest are said, not kept
            LOG.error("{} could not be checked against the journal, and {} others wait to be: not tried again; if the request"
                    + " was reversed before the issuer saw it, the approval stands", what, MAX_RETRYING);
            return;
        }
        attempt.get().whenComplete((done, failure) -> {
            if (failure == null) {
                if (tried > 1) {
                    retrying.decrementAndGet();
                    LOG.info("{} was checked against the journal at try {}", what, tried);
                }
                return;
            }
            boolean closed = IssuerAuthorizer.rootCause(failure) instanceof JournalClosedException;
            if (closed || System.nanoTime() - giveUpAtNanos >= 0) {
                if (tried > 1) {
                    retrying.decrementAndGet();
                }
                LOG.error("{} could not be checked against the journal ({}); if the request was reversed before the issuer"
                        + " saw it, the approval stands: {}", what, closed ? "the node is stopping" : "tried for " + GIVE_UP_AFTER,
                        IssuerAuthorizer.rootCause(failure).toString());
                return;
            }
            if (tried == 1) {
                retrying.incrementAndGet();
                LOG.warn("{} could not be checked against the journal; tried again until it can be: {}", what,
                        IssuerAuthorizer.rootCause(failure).toString());
            } else {
                LOG.debug("{}: try {} failed: {}", what, tried, IssuerAuthorizer.rootCause(failure).toString());
            }
            Later.after(wait, () -> {
                untilTheJournalAnswers(attempt, what, tried + 1, Later.doubled(wait, LONGEST_WAIT), giveUpAtNanos);
                return CompletableFuture.completedFuture(null);
            });
        });
    }

    /**
     * An issuer's answer ({@code code}; field 4 {@code answeredAmount}, 0 without) to {@code sent} that
     * came while the switch still waited for it, but found its record moved on to {@code state}: an
     * approval of a request reversed unanswered meanwhile (its terminal's reversal, another node's
     * take-over) is reversed again, since that reversal may have reached the issuer first and been
     * forgotten there, as with a late approval. Completes once queued; a failure is logged, not passed on.
     */
    CompletableFuture<Void> crossedItsReversal(JournalEntry sent, TransactionState state, String code, long answeredAmount) {
        if (!ResponseCodes.isApproval(code) || !reversedUnanswered(sent, state)) {
            return CompletableFuture.completedFuture(null);
        }
        long amount = PartialApprovals.amountMoved(code, answeredAmount, sent.request().amountMinor());
        return reverseAgain(sent, amount, state, true).exceptionally(failure -> {
            // tried again from what the journal then says of it, as a late approval is
            String what = "issuer " + sent.request().issuer().issuerId() + ": an approval of request " + sent.id()
                    + " that crossed its reversal";
            LOG.warn("{} could not be reversed again; tried again until the journal answers: {}", what,
                    IssuerAuthorizer.rootCause(failure).toString());
            untilTheJournalAnswers(() -> reader.findById(sent.id()).thenCompose(found -> found
                            .filter(entry -> reversedUnanswered(entry, entry.state()))
                            .map(entry -> reverseAgain(entry, amount, entry.state(), true))
                            .orElse(CompletableFuture.completedFuture(null))),
                    what, 1, FIRST_WAIT, System.nanoTime() + GIVE_UP_AFTER.toNanos());
            return null;
        });
    }

    /** Whether {@code entry} is the very request {@code late} answers, and the switch reversed it unanswered. */
    private static boolean reversedUnanswered(JournalEntry entry, IssuerResponse late) {
        IssuerLeg leg = entry.request().issuer();
        return leg != null && leg.issuerId().equals(late.issuerId()) && Integer.parseInt(leg.switchStan()) == late.stan()
                && reversedUnanswered(entry, entry.state());
    }

    /** Whether {@code entry}, now in {@code state}, was reversed by the switch without an answer. */
    private static boolean reversedUnanswered(JournalEntry entry, TransactionState state) {
        return entry.request().issuer() != null && entry.outcome() == null
                && TransactionType.valueOf(entry.request().transactionType()).reversedOnTimeout()
                && (state == TransactionState.REVERSAL_PENDING || state == TransactionState.REVERSED);
    }

    /**
     * From {@code from}; once more from the other state if the reversal's acknowledgement moved the
     * record meanwhile. A record still REVERSAL_PENDING gets its reversal queued again too: its first
     * may be acknowledged at the issuer (as "no original", before this request got there) with the
     * acknowledgement's commit still on its way.
     */
    private CompletableFuture<Void> reverseAgain(JournalEntry entry, long amount, TransactionState from, boolean retry) {
        IssuerLeg leg = entry.request().issuer();
        SafRequest reversal = SafRequest.reversal(leg.issuerId(), LATE_RESPONSE, amount, entry.request().currency());
        CompletableFuture<TransitionResult> queued = from == TransactionState.REVERSAL_PENDING
                ? journal.queueAgain(entry.id(), from, reversal)
                : journal.transition(entry.id(), from, TransactionState.REVERSAL_PENDING, reversal);
        return queued.thenCompose(moved -> {
            if (moved.applied()) {
                LOG.warn("issuer {}: approved request {} (switch STAN {}) after the switch had reversed it unanswered: its"
                        + " reversal is queued again", leg.issuerId(), entry.id(), leg.switchStan());
                deliverSoon.run();
                return CompletableFuture.completedFuture(null);
            }
            boolean stillReversed = moved.state() == TransactionState.REVERSED || moved.state() == TransactionState.REVERSAL_PENDING;
            return retry && stillReversed ? reverseAgain(entry, amount, moved.state(), false) : CompletableFuture.completedFuture(null);
        });
    }
}
