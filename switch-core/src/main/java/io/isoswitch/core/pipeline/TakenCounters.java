package io.isoswitch.core.pipeline;

import io.isoswitch.core.limits.Limits;
import io.isoswitch.settlement.limits.CounterIncrement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The counter shares one request took (its limits, and what it refunds or completes of an
 * original), given back at most once however many paths decide the request was not approved
 * (declined, unanswered, a repeat of another request).
 *
 * <p>An adopted share (one the counter already held under the request's identity) is given back
 * only once the journal has recorded this request as new ({@link #owned()}): until then it may be
 * the share of an earlier attempt of the same request that stands (a repeat the journal answers
 * as a duplicate must not give the first attempt's share back). A request journaled as new with
 * an adopted share is the resend of an attempt a crash cut short before its journal record: the
 * share is its own. A request whose own journal write failed (so whether it has a record is not
 * known, {@link #recordUnknown()}) hands its adopted shares to the journal instead: given back
 * later unless the record under the request's identity stands.
 */
final class TakenCounters {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TakenCounters.class);
    private final List<CounterIncrement> taken;
    private final List<CounterIncrement> adopted;
    private final AtomicBoolean givenBack = new AtomicBoolean();
    private volatile boolean owned;
    private volatile boolean recordUnknown;
    /** Told of the shares whose give-back failed (the database away), to give them back later. */
    private final java.util.function.Consumer<List<CounterIncrement>> notGivenBack;

    /** @param notGivenBack told of the shares whose give-back failed (the database away), to give them back later */
    TakenCounters(List<CounterIncrement> limits, List<CounterIncrement> original, List<CounterIncrement> adopted,
                  java.util.function.Consumer<List<CounterIncrement>> notGivenBack) {
        List<CounterIncrement> all = new ArrayList<>(limits);
        all.addAll(original);
        this.taken = List.copyOf(all);
        this.adopted = List.copyOf(adopted);
        this.notGivenBack = notGivenBack;
    }

    /** The journal recorded the request as new: its adopted shares are its own to give back. */
    void owned() {
        owned = true;
    }

    /**
     * The request's journal write failed: its record may exist or not. Its adopted shares, if it
     * does not own them, are handed to {@code notGivenBack} when it gives back, so that the journal
     * decides (given back unless a record under the request's identity stands, and only if not taken
     * again since). Kept instead, nothing would give back the shares of an earlier attempt whose
     * later give-back leaves them as this request's (adopted since its failure).
     */
    void recordUnknown() {
        recordUnknown = true;
    }

    /**
     * The request may stand after all (its journal write is in doubt, and its terminal's resend is
     * answered from the record if it committed): what it took stays taken, and the resend adopts it.
     */
    void keep() {
        givenBack.set(true);
    }

    /**
     * The request's approval may stand (its outcome write failed or is in doubt, and its reversal is
     * owed): every share it took stays taken, its daily limit shares and its share of an original (a
     * refund's, a completion's) alike, and the journal decides, once the owed reversal is settled,
     * whether they are given back ({@code LimitCounters#giveBackUnlessStanding}). Given back here, a
     * repeat told the approval stands (at another node) could find them still held, take nothing,
     * and lose them to this give-back: the card would count nothing for an approval that stands, and
     * the original could be refunded (or completed) a second time.
     */
    void leaveToTheJournal() {
        givenBack.set(true);
    }

    /**
     * {@link #leaveToTheJournal()} for a request whose record may never have been written (an
     * approval in stand-in, made by the write in doubt): returns what to give back if it was not,
     * {@code also} and this request's own shares. Those it took over and does not own are not in it
     * ({@link #takenOver()}: an earlier attempt's record may stand).
     */
    List<CounterIncrement> leaveToTheJournal(List<CounterIncrement> also) {
        leaveToTheJournal();
        List<CounterIncrement> ifNeverWritten = new ArrayList<>(taken);
        if (owned) {
            ifNeverWritten.addAll(adopted);
        }
        ifNeverWritten.addAll(also);
        return ifNeverWritten;
    }

    /**
     * The shares it took over from an earlier attempt of its request and does not own (no record of
     * its own is known): for the journal to decide when its record is found never written
     * ({@link UnknownOutcomes#addIfInDoubt}), given back then unless a record under the request's
     * identity stands, and only if not taken again since.
     */
    List<CounterIncrement> takenOver() {
        return owned ? List.of() : adopted;
    }

    /**
     * The request failed before it was decided (a stage failed exceptionally, so its terminal hears
     * 96 and whether any record of it stands is not known here): every share it took and took over
     * goes to {@code notGivenBack}, for the journal to decide by the request's identity (given back
     * unless a record under it stands, and not if taken again since). Nothing if what it took was
     * given back or left to the journal already. Before, only the terminal's reversal of a 96 it
     * could not trust (answered without a MAC) gave them back: a completion's share of its
     * pre-authorization was held for good, and the pre-authorization's void refused 12.
     */
    void handToTheJournal() {
        if (!givenBack.compareAndSet(false, true)) {
            return;
        }
        List<CounterIncrement> all = new ArrayList<>(taken);
        all.addAll(adopted);
        if (!all.isEmpty()) {
            notGivenBack.accept(all);
        }
    }

    CompletionStage<Void> giveBack(Limits limits) {
        List<CounterIncrement> release = new ArrayList<>(taken);
        List<CounterIncrement> toTheJournal = List.of();
        if (owned) {
            release.addAll(adopted);
        } else if (recordUnknown) {
            toTheJournal = adopted;
        }
        if ((release.isEmpty() && toTheJournal.isEmpty()) || !givenBack.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(null);
        }
        if (!toTheJournal.isEmpty()) {
            notGivenBack.accept(toTheJournal);
        }
        if (release.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletionStage<Void> released;
        try {
            released = limits.release(release);
        } catch (RuntimeException thrown) {
            released = CompletableFuture.failedFuture(thrown);
        }
        return released.whenComplete((done, failure) -> {
            if (failure != null) {
                LOG.warn("limit shares could not be given back ({} of a request not approved), kept to give back later: {}",
                        release.size(), IssuerAuthorizer.rootCause(failure).toString());
                notGivenBack.accept(release);
            }
        });
    }
}
