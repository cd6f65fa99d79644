package io.isoswitch.core.pipeline;

import io.isoswitch.core.config.TransactionsConfig;
import io.isoswitch.core.txn.ResponseCodes;
import io.isoswitch.core.txn.TransactionType;
import io.isoswitch.settlement.journal.IdempotencyKey;
import io.isoswitch.settlement.journal.IssuerLeg;
import io.isoswitch.settlement.journal.JournalEntry;
import io.isoswitch.settlement.journal.JournalReader;
import io.isoswitch.settlement.journal.JournalRequest;
import io.isoswitch.settlement.limits.CounterIncrement;
import io.isoswitch.settlement.limits.CounterKey;
import io.isoswitch.settlement.limits.CounterKind;
import io.isoswitch.settlement.limits.CounterLimit;
import io.isoswitch.settlement.limits.LimitCounters;
import io.isoswitch.settlement.limits.LimitDecision;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Refunds and completions against their original, before they go to the issuer.
 *
 * <p><b>Refund</b>: the original (a purchase or a completion, by RRN, same terminal and card) must
 * stand, and the refund must fit in what is left to refund of it: the original's amount minus the
 * refunds approved against it so far. "So far" is an {@link CounterKind#ORIGINAL} counter in the
 * journal database, taken with a conditional UPDATE whose limit is the original's amount, so two
 * refunds racing on two nodes cannot both pass; a refund the issuer declines, or its terminal
 * reverses, gives its share back.
 * Above the remainder it is declined with 13 (ISO 8583: invalid amount) or, for UnionPay terminals,
 * 61 (交易金额超限, "amount over limit", what UnionPay acquirer hosts answer for a refund above the
 * refundable amount; one source, unverified). A refund without field 37 is refused 25 unless
 * {@code transactions.refundsWithoutOriginal} is on, because nothing then bounds it.
 *
 * <p><b>Completion</b> (online, or the advice that UnionPay 60.1 = 24 and ISO 0220 terminals send):
 * the original pre-authorization must stand, the amount may exceed the hold by the merchant
 * category's tolerance at most (declined 13 above it; default 0 %), and a pre-authorization is
 * completed once (a second completion is 94, counted the same way as refunds) unless that completion
 * was undone (reversed or voided), which gives the pre-authorization back its completion.
 *
 * <p>A share is taken under the request's own identity (its journal idempotency key), so that it
 * counts once per request: if the switch dies after taking it and before journaling the request,
 * the terminal's resend finds its share already counted and goes on, instead of being refused as
 * a refund above the remainder or a second completion. Such an adopted share is the request's
 * own only once the journal records the request as new (see {@link TakenCounters}).
 */
final class LinkedTransactions implements UndoClaims {
    private static final Set<TransactionType> REFUNDABLE = Set.of(TransactionType.PURCHASE,
            TransactionType.PREAUTH_COMPLETION, TransactionType.PREAUTH_COMPLETION_ADVICE);
    static final String REFUND_COUNTER = "REFUND";
    static final String COMPLETION_COUNTER = "COMPLETION";

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LinkedTransactions.class);

    private final Originals originals;
    private final JournalReader reader;
    private final LimitCounters counters;
    private final TransactionsConfig config;
    /** This node: the holder of the undo claims its voids and reversals take. */
    private final String nodeId;
    private final java.util.function.Consumer<List<CounterIncrement>> shareInDoubt;

    LinkedTransactions(JournalReader reader, LimitCounters counters, TransactionsConfig config, String nodeId) {
        this(reader, counters, config, nodeId, shares -> { });
    }

    /**
     * @param shareInDoubt told of an original's share whose increment failed in doubt (its commit may
     *                     have gone through with its acknowledgement lost): given back later, as the
     *                     journal decides ({@link UnknownOutcomes#giveBackLater}), since no record of
     *                     the request may ever hold it
     */
    LinkedTransactions(JournalReader reader, LimitCounters counters, TransactionsConfig config, String nodeId,
                       java.util.function.Consumer<List<CounterIncrement>> shareInDoubt) {
        this.shareInDoubt = shareInDoubt;
        this.nodeId = nodeId;
        this.originals = new Originals(reader);
        this.reader = reader;
        this.counters = counters;
        this.config = config;
    }

    /**
     * What a request is linked to.
     *
     * @param original    the original, or null (not a linked type, or a refund without original)
     * @param reserved    the original's counter share this request took (given back if it is declined)
     * @param declineCode the code to answer without the issuer, or null
     * @param adopted     the original's counter share the counter already held under this request's
     *                    identity (taken by an earlier attempt of it: a resend, or an attempt cut short
     *                    by a crash before it was journaled)
     */
    record Linked(JournalEntry original, List<CounterIncrement> reserved, String declineCode, List<CounterIncrement> adopted) {
        static final Linked NONE = new Linked(null, List.of(), null, List.of());

        static Linked declined(String code) {
            return new Linked(null, List.of(), code, List.of());
        }

        UUID originalId() {
            return original == null ? null : original.id();
        }

        IssuerLeg originalLeg() {
            return original == null ? null : original.request().issuer();
        }
    }

    static boolean isLinked(TransactionType type) {
        return type == TransactionType.REFUND || type == TransactionType.PREAUTH_COMPLETION
                || type == TransactionType.PREAUTH_COMPLETION_ADVICE;
    }

    CompletionStage<Linked> resolve(Authorization a, JournalRequest record) {
        if (!isLinked(a.type())) {
            return CompletableFuture.completedFuture(Linked.NONE);
        }
        boolean refund = a.type() == TransactionType.REFUND;
        if (refund && config.refundsWithoutOriginal() && (a.originalRrn() == null || a.originalRrn().isBlank())) {
            return CompletableFuture.completedFuture(Linked.NONE);
        }
        Set<TransactionType> types = refund ? REFUNDABLE : Set.of(TransactionType.PREAUTH);
        return originals.find(a, record, types).thenCompose(found -> switch (found) {
            case Originals.Refused refused -> CompletableFuture.completedFuture(Linked.declined(refused.code()));
            case Originals.Original original -> refund ? refund(a, record, original.entry()) : completion(a, record, original.entry());
        });
    }

    /**
     * A refund or completion undone (its terminal reversed it, or a completion void voided it) gives
     * its share of the original back: the cardholder can be refunded that amount again, and the
     * pre-authorization can be completed again (the issuer holds the money again when it undoes a
     * completion; a merchant whose completion timed out at the terminal retries it after the reversal).
     * Completes with false if that failed (logged), for the journal to decide later.
     */
    CompletionStage<Boolean> reversed(JournalEntry entry) {
        return withShare(entry, "given back", share -> counters.release(List.of(share)));
    }

    @Override
    public CompletionStage<Void> releaseShareOf(JournalEntry undone) {
        return reversed(undone).thenApply(given -> {
            if (!given) {
                throw new IllegalStateException("the share of journal record " + undone.id() + " in its original could not be given back");
            }
            return null;
        });
    }

    @Override
    public CompletionStage<List<IdempotencyKey>> shareHolders(JournalEntry original) {
        CounterIncrement whole = whole(original);
        if (whole == null) {
            return CompletableFuture.completedFuture(List.of());
        }
        return counters.contributorsTo(whole.key()).thenApply(contributors -> contributors.stream()
                .filter(c -> !c.startsWith(LimitCounters.UNDO_PREFIX)).map(LinkedTransactions::keyOf)
                .flatMap(java.util.Optional::stream).toList());
    }

    /** The journal key a share's contributor names ({@link LimitCounters#contributor}), if it names one. */
    private static java.util.Optional<IdempotencyKey> keyOf(String contributor) {
        String[] parts = contributor.split("\\|");
        try {
            return parts.length != 4 ? java.util.Optional.empty() : java.util.Optional.of(
                    new IdempotencyKey(parts[0], parts[1], java.time.LocalDate.parse(parts[2]), parts[3]));
        } catch (RuntimeException notAKey) {
            return java.util.Optional.empty();
        }
    }

    /**
     * A completion that stands again (its void was reversed before it reached the issuer) takes its
     * share of the pre-authorization again, so that the pre-authorization is not completed twice.
     * Counted whatever the counter holds (a count too high is the safe side), but only while its
     * record stands ({@link LimitCounters#tryIncrementIfStanding}): reversed meanwhile, with its
     * share given back first, it would hold the original's share for nothing.
     */
    CompletionStage<Void> restored(JournalEntry entry) {
        return withShare(entry, "taken again", share -> counters.tryIncrementIfStanding(entry.id(), List.of(share)))
                .thenApply(taken -> null);
    }

    /**
     * Applies {@code apply} to {@code entry}'s share of its original, if it holds one. Completes when
     * done, so that the terminal hears its answer after the change; a failure is logged, not passed
     * on: it completes with false.
     */
    private CompletionStage<Boolean> withShare(JournalEntry entry, String change,
                                               Function<CounterIncrement, CompletableFuture<?>> apply) {
        String counter = counterOf(entry);
        if (counter == null) {
            return CompletableFuture.completedFuture(true);
        }
        return reader.findById(entry.request().originalId()).thenCompose(original -> original.isEmpty()
                        ? CompletableFuture.completedFuture(null)
                        : apply.apply(share(original.get(), counter, entry.request().amountMinor(), CounterLimit.UNLIMITED,
                                entry.request())))
                .handle((done, failure) -> {
                    if (failure != null) {
                        LOG.warn("a {} share of its original could not be {}: {}", counter, change, failure.toString());
                    }
                    return failure == null;
                });
    }

    /**
     * Claims all of {@code original}'s refund counter (a purchase or completion) or its completion
     * (a pre-authorization) for a void or reversal of it, under the original's own identity
     * ({@link #undoContributor}), held by this node until the original has moved: a node whose
     * process dies between the claim and the move gives its claims on originals that still stand
     * back at its next start, or the node that takes it over does
     * ({@link LimitCounters#releaseUndoClaimsOnStandingOriginals}); see {@link UndoClaims}.
     */
    @Override
    public CompletionStage<Claim> claim(JournalEntry original) {
        CounterIncrement whole = whole(original);
        if (whole == null) {
            return CompletableFuture.completedFuture(Claim.NOTHING_TO_CLAIM);
        }
        return counters.claimUndo(whole, nodeId).thenApply(decision -> switch (decision) {
            case LimitDecision.Accepted accepted -> accepted.alreadyCounted().isEmpty() ? Claim.TAKEN : Claim.HELD_ALREADY;
            case LimitDecision.Refused refused -> Claim.REFUSED;
        });
    }

    @Override
    public CompletionStage<Void> release(JournalEntry original) {
        CounterIncrement whole = whole(original);
        return whole == null ? CompletableFuture.completedFuture(null) : counters.release(List.of(whole)).thenApply(done -> null);
    }

    @Override
    public CompletionStage<Void> releaseOrphaned(JournalRequest neverJournaled) {
        return counters.releaseAllOf(contributor(neverJournaled));
    }

    /** The whole of what would move {@code original} on, or null where nothing does. */
    private static CounterIncrement whole(JournalEntry original) {
        JournalRequest r = original.request();
        String contributor = undoContributor(original);
        return switch (TransactionType.valueOf(r.transactionType())) {
            case PURCHASE, PREAUTH_COMPLETION, PREAUTH_COMPLETION_ADVICE -> new CounterIncrement(new CounterKey(CounterKind.ORIGINAL,
                    original.id().toString(), r.businessDate(), REFUND_COUNTER, r.currency()), r.amountMinor(),
                    new CounterLimit(Long.MAX_VALUE, r.amountMinor()), contributor);
            case PREAUTH -> new CounterIncrement(new CounterKey(CounterKind.ORIGINAL, original.id().toString(), r.businessDate(),
                    COMPLETION_COUNTER, r.currency()), 0, new CounterLimit(1, Long.MAX_VALUE), contributor);
            default -> null;
        };
    }

    /** The identity an undo of {@code original} claims under: one per original, whichever void or reversal takes it. */
    static String undoContributor(JournalEntry original) {
        return LimitCounters.UNDO_PREFIX + original.id();
    }

    /** The counter of its original that {@code entry} holds a share of, or null. */
    private static String counterOf(JournalEntry entry) {
        if (entry.request().originalId() == null) {
            return null;
        }
        return switch (TransactionType.valueOf(entry.request().transactionType())) {
            case REFUND -> REFUND_COUNTER;
            case PREAUTH_COMPLETION, PREAUTH_COMPLETION_ADVICE -> COMPLETION_COUNTER;
            default -> null;
        };
    }

    private CompletionStage<Linked> refund(Authorization a, JournalRequest record, JournalEntry original) {
        String aboveRemainder = refundAboveRemainderCode(a.terminal().dialect());
        if (!original.request().currency().equals(record.currency())) {
            return CompletableFuture.completedFuture(Linked.declined(ResponseCodes.INVALID_AMOUNT));
        }
        CounterIncrement share = share(original, REFUND_COUNTER, record.amountMinor(),
                new CounterLimit(Long.MAX_VALUE, original.request().amountMinor()), record);
        return take(original, share, aboveRemainder, aboveRemainder);
    }

    private CompletionStage<Linked> completion(Authorization a, JournalRequest record, JournalEntry original) {
        long held = original.request().amountMinor();
        long most = Math.addExact(held, Math.multiplyExact(held, config.tolerancePercent(a.merchant().mcc())) / 100);
        if (record.amountMinor() > most || !original.request().currency().equals(record.currency())) {
            return CompletableFuture.completedFuture(Linked.declined(ResponseCodes.INVALID_AMOUNT));
        }
        CounterIncrement share = share(original, COMPLETION_COUNTER, record.amountMinor(), new CounterLimit(1, most), record);
        return take(original, share, ResponseCodes.DUPLICATE_TRANSMISSION, ResponseCodes.INVALID_AMOUNT);
    }

    private CompletionStage<Linked> take(JournalEntry original, CounterIncrement share, String countCode, String amountCode) {
        return counters.tryIncrement(List.of(share)).whenComplete((decision, failure) -> {
            if (failure != null && UnknownOutcomes.inDoubt(failure)) {
                // the request fails before its record: a share whose commit went through all the same
                // held the original for good (a pre-authorization's void refused 12, its hold kept)
                shareInDoubt.accept(List.of(share));
            }
        }).thenApply(decision -> switch (decision) {
            case LimitDecision.Accepted accepted -> accepted.alreadyCounted().isEmpty()
                    ? new Linked(original, List.of(share), null, List.of())
                    : new Linked(original, List.of(), null, List.of(share));
            case LimitDecision.Refused refused -> Linked.declined(
                    refused.exceeded() == LimitDecision.ExceededLimit.COUNT ? countCode : amountCode);
        });
    }

    static CounterIncrement share(JournalEntry original, String counter, long amountMinor, CounterLimit limit,
                                          JournalRequest taker) {
        return new CounterIncrement(new CounterKey(CounterKind.ORIGINAL, original.id().toString(),
                original.request().businessDate(), counter, original.request().currency()), amountMinor, limit, contributor(taker));
    }

    /** The request's identity as its share's contributor: its journal idempotency key. */
    static String contributor(JournalRequest request) {
        IdempotencyKey key = request.key();
        return LimitCounters.contributor(key.terminalId(), key.stan(), key.transactionDate(), key.mtiClass());
    }

    /** 13 for ISO terminals, 61 for UnionPay ones (see the class comment). */
    static String refundAboveRemainderCode(String dialect) {
        return "cup-pos".equals(dialect) ? ResponseCodes.EXCEEDS_AMOUNT_LIMIT : ResponseCodes.INVALID_AMOUNT;
    }
}
