package io.isoswitch.core.standin;

import io.isoswitch.core.txn.TransactionType;
import io.isoswitch.settlement.journal.JournalEntry;
import io.isoswitch.settlement.journal.JournalRequest;
import io.isoswitch.settlement.journal.TransactionState;
import io.isoswitch.settlement.limits.CounterIncrement;
import io.isoswitch.settlement.limits.CounterKey;
import io.isoswitch.settlement.limits.CounterKind;
import io.isoswitch.settlement.limits.CounterLimit;
import io.isoswitch.settlement.limits.LimitCounters;
import io.isoswitch.settlement.limits.LimitDecision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Stand-in processing: whether each issuer is in stand-in (operations forced it, or its
 * {@link IssuerBreaker} is open: too many of its last requests failed; a link that is down counts too, but routing knows that itself),
 * and whether a request may be approved on the issuer's behalf.
 *
 * <p>The rule for approving, per issuer ({@link StandInConfig}): mode {@code approve}, a type the
 * rule names, <b>no online PIN</b>, and within the card's stand-in allowance for the business day
 * (amount and count, counted in the journal database under a {@code CARD} counter of type
 * {@value #COUNTER_TYPE}, so the allowance holds across nodes and restarts). Why no PIN: the
 * switch has no way to verify an issuer's PIN (it holds no PIN verification key of the issuer, and
 * a PIN block is only translated, never checked), so approving a PIN transaction offline would
 * approve any PIN, including a stolen card's wrong guesses. A PIN transaction is declined 91 in
 * stand-in; a signature or no-CVM transaction (contactless under the limit, magstripe with
 * signature) may be approved, but not a card whose track 2 service code asks for a PIN (unless
 * read by chip or contactless with its chip data: the card's CVM list decides there). And within
 * the issuer's cap for the day, all cards together (an {@code ISSUER} counter, counted up only):
 * stand-in cannot tell an invented card number from a real one. Everything else is declined 91
 * ("issuer inoperative"): the terminal may try again later.
 *
 * <p>Metrics {@value #METRIC}{issuer, outcome=approved|declined} and {@value #ACTIVE_METRIC}{issuer} (1 while in stand-in).
 */
public final class StandIn {
    public static final String METRIC = "switch.standin";
    /** Gauge per issuer: 1 while it is in stand-in (forced, or its breaker open or half-open), else 0. */
    public static final String ACTIVE_METRIC = "switch.standin.active";
    /** The counter type of stand-in allowances (all types together). */
    public static final String COUNTER_TYPE = LimitCounters.STAND_IN_TYPE;

    private final Function<String, StandInConfig> rules;
    private final LimitCounters counters;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, IssuerBreaker> breakers = new ConcurrentHashMap<>();
    private final ForcedStandInFlags forced;
    private final Map<String, Counter> meters = new ConcurrentHashMap<>();
    /** The node whose allowances these are until their approval is recorded; null: none holds them. */
    private final String nodeId;

    public StandIn(Function<String, StandInConfig> rules, LimitCounters counters, MeterRegistry registry, Clock clock) {
        this(rules, counters, registry, clock, ForcedStandInFlags.inMemory());
    }

    /** @param forced the issuers operations forced into stand-in (shared by the nodes through the database) */
    public StandIn(Function<String, StandInConfig> rules, LimitCounters counters, MeterRegistry registry, Clock clock,
                   ForcedStandInFlags forced) {
        this(rules, counters, registry, clock, forced, null);
    }

    /**
     * @param nodeId the node taking allowances: each is held by it until its approval is recorded,
     *               so that if the node's process dies first, its next start (or the node that takes
     *               it over) gives the allowance back ({@link LimitCounters#giveBackHeldAllowances})
     */
    public StandIn(Function<String, StandInConfig> rules, LimitCounters counters, MeterRegistry registry, Clock clock,
                   ForcedStandInFlags forced, String nodeId) {
        this.nodeId = nodeId;
        this.forced = forced;
        this.rules = rules;
        this.counters = counters;
        this.registry = registry;
        this.clock = clock;
    }

    /**
     * Registers, for each of {@code issuerIds}, the gauge {@value #ACTIVE_METRIC} and the counters
     * of {@value #METRIC} at zero: operations see which issuer is in stand-in now (the counters
     * only move when a request comes), and a dashboard or an alert finds a 0, not "no data", for an
     * issuer that never went down.
     */
    public void registerMeters(java.util.Collection<String> issuerIds) {
        for (String issuerId : issuerIds) {
            io.micrometer.core.instrument.Gauge.builder(ACTIVE_METRIC, this, standIn -> standIn.inStandIn(issuerId) ? 1 : 0)
                    .description("1 while the issuer is in stand-in: forced by operations, or its breaker open or half-open")
                    .tag("issuer", issuerId).register(registry);
            counter(issuerId, "approved");
            counter(issuerId, "declined");
        }
    }

    /**
     * Whether requests to {@code issuerId} are decided in stand-in now: forced, or its breaker open
     * or half-open (but for the one probe). Only reads: never takes the half-open breaker's probe.
     */
    public boolean inStandIn(String issuerId) {
        return forced.forced(issuerId) || breaker(issuerId).notClosed();
    }

    /** False while {@code issuerId} is in forced stand-in or its breaker is open. */
    public boolean healthy(String issuerId) {
        return !forced.forced(issuerId) && !breaker(issuerId).isOpen();
    }

    /**
     * Operations turn forced stand-in of {@code issuerId} on or off, for every node: complete once
     * durable (and in force on this node; the others follow at their next refresh).
     */
    public CompletionStage<Void> force(String issuerId, boolean on) {
        return forced.set(issuerId, on);
    }

    public boolean forced(String issuerId) {
        return forced.forced(issuerId);
    }

    /** The issuer answered (with anything but 91 or 96). */
    public void succeeded(String issuerId) {
        breaker(issuerId).succeeded();
    }

    /** The issuer did not answer, lost the connection, or answered 91 or 96. */
    public void failed(String issuerId) {
        breaker(issuerId).failed();
    }

    /** The rule of {@code issuerId}. */
    public StandInConfig rule(String issuerId) {
        return rules.apply(issuerId);
    }

    /**
     * Takes the card's stand-in allowance for one approval, if the rule lets stand-in approve it:
     * the increments taken (to {@link #giveBack} if the approval is not recorded after all), or
     * empty when it must be declined. Counts the decision in the metric.
     *
     * @param identity the request's identity (its journal idempotency key, as the limits record
     *                 their shares): the allowance is held under it, so that whatever gives it back
     *                 or takes it again does so once ({@link #reversed}, {@link #restored})
     */
    public CompletionStage<Optional<List<CounterIncrement>>> take(String issuerId, TransactionType type, boolean pinPresent,
                                                                  boolean cardAsksForPin, String panToken, long amountMinor,
                                                                  String currency, LocalDate businessDate, String identity) {
        StandInConfig rule = rule(issuerId);
        // a card whose track's service code asks for a PIN, read without one, has had no cardholder verification
        // the switch can accept: declined like a PIN transaction, which stand-in cannot verify either
        if (!rule.approves(type) || pinPresent || cardAsksForPin || panToken == null || amountMinor > rule.maxAmountPerCardPerDay()
                || rule.maxCountPerCardPerDay() == 0) {
            count(issuerId, false);
            return CompletableFuture.completedFuture(Optional.empty());
        }
        CounterIncrement increment = new CounterIncrement(new CounterKey(CounterKind.CARD, panToken, businessDate, COUNTER_TYPE,
                currency), amountMinor, new CounterLimit(rule.maxCountPerCardPerDay(), rule.maxAmountPerCardPerDay()),
                Objects.requireNonNull(identity, "identity"));
        List<CounterIncrement> increments = rule.capped()
                ? List.of(increment, issuerShare(issuerId, rule, amountMinor, currency, businessDate)) : List.of(increment);
        return counters.tryIncrement(increments, nodeId).thenApply(decision -> {
            count(issuerId, decision instanceof LimitDecision.Accepted);
            if (!(decision instanceof LimitDecision.Accepted accepted)) {
                return Optional.empty();
            }
            // held already under this identity (another attempt of the same request): approved, and
            // not this attempt's to give back
            return Optional.of(accepted.alreadyCounted().isEmpty() ? List.of(increment) : List.<CounterIncrement>of());
        });
    }

    /**
     * The issuer-wide day's count a stand-in approval takes: no contributor, so it is counted each
     * time (a resend counts again) and never given back, not even when the approval is not recorded
     * after all: the cap errs on the side of declining, never of approving one too many.
     */
    private static CounterIncrement issuerShare(String issuerId, StandInConfig rule, long amountMinor, String currency,
                                                LocalDate businessDate) {
        CounterLimit cap = new CounterLimit(rule.maxCountPerDay() == null ? Long.MAX_VALUE : rule.maxCountPerDay(),
                rule.maxAmountPerDay() == null ? Long.MAX_VALUE : rule.maxAmountPerDay());
        return new CounterIncrement(new CounterKey(CounterKind.ISSUER, issuerId, businessDate, COUNTER_TYPE, currency), amountMinor,
                cap, null);
    }

    /** Gives back an allowance taken by {@link #take} whose approval was not recorded. */
    public CompletionStage<Void> giveBack(List<CounterIncrement> taken) {
        return counters.release(taken);
    }

    /**
     * A stand-in approval was reversed (its terminal's 0400/0401, also the one a terminal sends
     * after it timed out waiting) or voided: the card gets back the share of its daily allowance
     * the approval took, so a reversed sale does not stop the cardholder's next one. Callers call
     * this only after their conditional move of the approval (STAND_IN_APPROVED to
     * REVERSAL_PENDING) applied, which happens once across all nodes and repeats; a crash between
     * that commit and this release leaves the allowance taken (the safe side: it may decline a
     * stand-in approval it could have given, never approve one too many). Given back once, however
     * often called: the share is held under the request's identity.
     */
    public CompletionStage<Void> reversed(JournalEntry approval, String identity) {
        JournalRequest request = approval.request();
        if (approval.state() != TransactionState.STAND_IN_APPROVED || request.card() == null) {
            return CompletableFuture.completedFuture(null);
        }
        return counters.release(List.of(allowanceOf(request, identity)));
    }

    /** The share of the card's allowance {@code request} took under {@code identity}, without its limit. */
    private static CounterIncrement allowanceOf(JournalRequest request, String identity) {
        return new CounterIncrement(new CounterKey(CounterKind.CARD, request.card().panTokenHex(), request.businessDate(),
                COUNTER_TYPE, request.currency()), request.amountMinor(), CounterLimit.UNLIMITED,
                Objects.requireNonNull(identity, "identity"));
    }

    /**
     * A stand-in approval stands again: the terminal reversed the void of it before the void's
     * reversal reached the issuer, so the card's allowance counts it again (beyond the limit if it
     * must: the approval was given long before). Also when a repeat was told a stand-in approval
     * stands whose first answer was 96 (which gave the allowance back). Once, however often: the
     * share is held under the request's identity.
     */
    public CompletionStage<Void> restored(JournalEntry approval, String identity) {
        JournalRequest request = approval.request();
        if (approval.state() != TransactionState.STAND_IN_APPROVED || request.card() == null) {
            return CompletableFuture.completedFuture(null);
        }
        return counters.tryIncrement(List.of(allowanceOf(request, identity))).thenApply(decision -> null);
    }

    private void count(String issuerId, boolean approved) {
        counter(issuerId, approved ? "approved" : "declined").increment();
    }

    private Counter counter(String issuerId, String outcome) {
        return meters.computeIfAbsent(issuerId + "/" + outcome, key -> Counter.builder(METRIC)
                .description("Requests decided in stand-in while their issuer was down")
                .tag("issuer", issuerId).tag("outcome", outcome).register(registry));
    }

    private IssuerBreaker breaker(String issuerId) {
        return breakers.computeIfAbsent(issuerId, id -> {
            StandInConfig rule = rules.apply(id);
            return new IssuerBreaker(id, rule.failureRatePercent(), rule.minimumCalls(), rule.windowCalls(), rule.openMs(), clock);
        });
    }
}
