package io.isoswitch.core.limits;

import io.isoswitch.core.txn.ResponseCodes;
import io.isoswitch.settlement.limits.CounterIncrement;
import io.isoswitch.settlement.limits.CounterKey;
import io.isoswitch.settlement.limits.CounterKind;
import io.isoswitch.settlement.limits.CounterLimit;
import io.isoswitch.settlement.limits.LimitCounters;
import io.isoswitch.settlement.limits.LimitDecision;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The limits stage: a transaction over a per-transaction limit is declined 13 at once; otherwise
 * its daily counters (card by PAN token, terminal, merchant; per business date, transaction type
 * and currency) are incremented all together or not at all, in the journal database, so the
 * limits hold across restarts and across nodes. Past a daily amount it is declined 61, past a
 * daily count 65. What a transaction took is given back when the issuer declines it, and when an
 * approval is undone later (its terminal reverses it, or voids it): {@link #giveBack(Transaction)};
 * a void that its terminal reverses before it reached the issuer makes the sale stand again, and
 * the sale counts again: {@link #countAgain(java.util.UUID, Transaction)}.
 */
public final class Limits {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Limits.class);
    private final LimitsConfig config;
    private final LimitCounters counters;

    public Limits(LimitsConfig config, LimitCounters counters) {
        this.config = config;
        this.counters = counters;
        warnOfUncappedDebits(config);
    }

    /** Says, once at start, where a card's (terminal's, merchant's) debits are capped for one type and not another. */
    static java.util.List<String> warnOfUncappedDebits(LimitsConfig config) {
        java.util.List<String> warnings = new java.util.ArrayList<>();
        java.util.Map<String, LimitSet> sets = new java.util.TreeMap<>();
        config.categories().forEach((mcc, set) -> sets.put("category " + mcc, set));
        config.merchants().forEach((merchant, set) -> sets.put("merchant " + merchant, set));
        sets.forEach((name, set) -> java.util.Map.of("card", set.card(), "terminal", set.terminal(), "merchant", set.merchant())
                .forEach((side, rules) -> {
                    java.util.List<String> uncapped = LimitSet.uncappedDebits(rules);
                    if (!uncapped.isEmpty()) {
                        warnings.add(side + " limits of " + name + " cap one way of debiting but not " + uncapped
                                + ": each type counts against its own rule, so a " + side + " can go past its limit through "
                                + uncapped + " (give it a rule, or a \"" + LimitSet.ANY_TYPE + "\" one)");
                    }
                }));
        warnings.forEach(LOG::warn);
        return warnings;
    }

    /**
     * What a transaction is checked against.
     *
     * @param type         transaction type name ({@code PURCHASE}...)
     * @param panToken     the card's token (hex), or null without a card
     * @param terminalId   field 41
     * @param merchantId   field 42
     * @param mcc          the merchant's category
     * @param amountMinor  the amount
     * @param currency     ISO 4217 numeric
     * @param businessDate the switch's business date
     * @param identity     the request's identity (its journal idempotency key): the counters record
     *                     its share under it, so that a resend of the same request counts once and
     *                     its share is given back once however many paths give it back; null for none
     */
    public record Transaction(String type, String panToken, String terminalId, String merchantId, String mcc,
                              long amountMinor, String currency, LocalDate businessDate, String identity) {
    }

    /**
     * The outcome: a decline code, or the increments taken (to give back if the issuer declines),
     * and those the counters already held under the request's identity (an earlier attempt's share:
     * see {@code TakenCounters} for when they are the request's own to give back).
     */
    public record Check(Optional<String> declineCode, List<CounterIncrement> taken, List<CounterIncrement> adopted) {
        static Check passed(List<CounterIncrement> increments, List<CounterIncrement> alreadyCounted) {
            List<CounterIncrement> taken = new ArrayList<>(increments);
            taken.removeAll(alreadyCounted);
            return new Check(Optional.empty(), List.copyOf(taken), alreadyCounted);
        }

        static Check declined(String code) {
            return new Check(Optional.of(code), List.of(), List.of());
        }
    }

    public CompletionStage<Check> check(Transaction t) {
        LimitSet set = config.forMerchant(t.merchantId(), t.mcc());
        List<CounterIncrement> increments = new ArrayList<>();
        String overPerTransaction = collect(set.card(), CounterKind.CARD, t.panToken(), t, increments);
        if (overPerTransaction == null) {
            overPerTransaction = collect(set.terminal(), CounterKind.TERMINAL, t.terminalId(), t, increments);
        }
        if (overPerTransaction == null) {
            overPerTransaction = collect(set.merchant(), CounterKind.MERCHANT, t.merchantId(), t, increments);
        }
        if (overPerTransaction != null) {
            return CompletableFuture.completedFuture(Check.declined(overPerTransaction));
        }
        if (increments.isEmpty()) {
            return CompletableFuture.completedFuture(Check.passed(List.of(), List.of()));
        }
        return counters.tryIncrement(increments).thenApply(decision -> switch (decision) {
            case LimitDecision.Accepted accepted -> Check.passed(increments, accepted.alreadyCounted());
            case LimitDecision.Refused refused -> Check.declined(refused.exceeded() == LimitDecision.ExceededLimit.COUNT
                    ? ResponseCodes.EXCEEDS_FREQUENCY_LIMIT : ResponseCodes.EXCEEDS_AMOUNT_LIMIT);
        });
    }

    /**
     * Gives back the daily counts an approved transaction took, computed again from it (the same
     * rules: counters are per card, terminal and merchant, type, date and currency): it was reversed
     * or voided. Callers call it once per undone approval (after their conditional move of the
     * approval applied); a counter never goes below zero.
     */
    public CompletionStage<Void> giveBack(Transaction t) {
        return release(counted(t));
    }

    /**
     * Counts an approval again whose undoing was itself undone (a void cancelled before it left), or
     * that a repeat was told stands, limits or not; only while its journal record {@code id} stands
     * ({@link LimitCounters#tryIncrementIfStanding}: reversed meanwhile, it counts nothing).
     */
    public CompletionStage<Void> countAgain(java.util.UUID id, Transaction t) {
        List<CounterIncrement> counted = counted(t);
        return counted.isEmpty() ? CompletableFuture.completedFuture(null)
                : counters.tryIncrementIfStanding(id, counted).thenApply(stood -> null);
    }

    /**
     * The daily shares {@link #check} takes for {@code t} (without their limits): what to give back
     * of a check whose increment failed in doubt.
     */
    public List<CounterIncrement> sharesOf(Transaction t) {
        return counted(t);
    }

    /** The daily increments of {@code t}, without limits (they only add or take back what was counted). */
    private List<CounterIncrement> counted(Transaction t) {
        LimitSet set = config.forMerchant(t.merchantId(), t.mcc());
        List<CounterIncrement> increments = new ArrayList<>();
        collectDaily(set.card(), CounterKind.CARD, t.panToken(), t, increments);
        collectDaily(set.terminal(), CounterKind.TERMINAL, t.terminalId(), t, increments);
        collectDaily(set.merchant(), CounterKind.MERCHANT, t.merchantId(), t, increments);
        return increments;
    }

    private static void collectDaily(Map<String, LimitRule> rules, CounterKind kind, String value, Transaction t,
                                     List<CounterIncrement> increments) {
        if (value == null) {
            return;
        }
        LimitSet.ruleFor(rules, t.type()).filter(LimitRule::countsDaily).ifPresent(rule -> increments.add(new CounterIncrement(
                new CounterKey(kind, value, t.businessDate(), t.type(), t.currency()), t.amountMinor(), CounterLimit.UNLIMITED,
                t.identity())));
    }

    /** Gives back what a transaction took (the issuer declined it). */
    public CompletionStage<Void> release(List<CounterIncrement> taken) {
        return taken.isEmpty() ? CompletableFuture.completedFuture(null) : counters.release(taken);
    }

    /** Adds the daily increment of one scope; returns the decline code if the amount is over its per-transaction limit. */
    private static String collect(Map<String, LimitRule> rules, CounterKind kind, String value, Transaction t,
                                  List<CounterIncrement> increments) {
        if (value == null) {
            return null;
        }
        Optional<LimitRule> rule = LimitSet.ruleFor(rules, t.type());
        if (rule.isEmpty()) {
            return null;
        }
        LimitRule r = rule.get();
        if (r.perTransactionMinor() > 0 && t.amountMinor() > r.perTransactionMinor()) {
            return ResponseCodes.INVALID_AMOUNT;
        }
        if (r.countsDaily()) {
            CounterLimit limit = new CounterLimit(r.dailyCount() == 0 ? Long.MAX_VALUE : r.dailyCount(),
                    r.dailyAmountMinor() == 0 ? Long.MAX_VALUE : r.dailyAmountMinor());
            increments.add(new CounterIncrement(new CounterKey(kind, value, t.businessDate(), t.type(), t.currency()),
                    t.amountMinor(), limit, t.identity()));
        }
        return null;
    }
}
