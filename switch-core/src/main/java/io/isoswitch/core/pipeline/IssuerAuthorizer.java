package io.isoswitch.core.pipeline;

import io.isoswitch.codec.IsoMessageView;
import io.isoswitch.core.issuer.IssuerLink;
import io.isoswitch.core.issuer.IssuerLinks;
import io.isoswitch.core.issuer.IssuerResponse;
import io.isoswitch.core.issuer.IssuerConnectionLostException;
import io.isoswitch.core.issuer.IssuerTimeoutException;
import io.isoswitch.core.issuer.IssuerUnavailableException;
import io.isoswitch.core.issuer.WorkingKeys;
import io.isoswitch.core.limits.Limits;
import io.isoswitch.core.txn.IccData;
import io.isoswitch.core.txn.ResponseCodes;
import io.isoswitch.core.txn.TransactionType;
import io.isoswitch.routing.Router;
import io.isoswitch.routing.RoutingDecision;
import io.isoswitch.routing.TransactionFacts;
import io.isoswitch.security.Hsm;
import io.isoswitch.security.PinBlockFormat;
import io.isoswitch.settlement.journal.IssuerLeg;
import io.isoswitch.settlement.journal.Journal;
import io.isoswitch.settlement.journal.JournalEntry;
import io.isoswitch.settlement.journal.JournalReader;
import io.isoswitch.settlement.journal.JournalRequest;
import io.isoswitch.settlement.journal.Outcome;
import io.isoswitch.settlement.journal.SentResult;
import io.isoswitch.settlement.journal.TransactionState;
import io.isoswitch.settlement.saf.SafRequest;
import io.isoswitch.settlement.limits.CounterIncrement;
import io.isoswitch.settlement.limits.LimitCounters;
import io.isoswitch.core.config.TransactionsConfig;
import io.isoswitch.core.standin.StandIn;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Route, re-encrypt the PIN for the issuer, write ahead, ask the issuer, record the outcome:
 *
 * <pre>
 * route (BIN) -> translate PIN (TPK -> issuer ZPK) -> journal SENT (durable) -> issuer link
 *   -> journal outcome (durable) -> result          (timeout: SENT -> REVERSAL_PENDING, 91)
 * </pre>
 *
 * <p>No request reaches an issuer before its SENT record is committed, and no answer reaches the
 * terminal before its outcome is: a crash at any point leaves a record that recovery can resolve.
 * A repeat (same terminal, STAN, date, message class) finds its key taken and is answered from the
 * journal, never sent again. Failures of the journal answer 96; of the issuer, 91.
 */
public final class IssuerAuthorizer implements Authorizer {
    private static final Logger LOG = LoggerFactory.getLogger(IssuerAuthorizer.class);
    private static final ThreadLocal<IsoMessageView[]> ANSWER_VIEWS = ThreadLocal.withInitial(() -> new IsoMessageView[1]);
    /** UnionPay's and many hosts' "PIN format error": the block did not decrypt to a valid PIN block. */
    static final String PIN_BLOCK_ERROR = "99";
    /** A repeat of a request whose original is still at the issuer. */
    static final String DUPLICATE_IN_FLIGHT = ResponseCodes.DUPLICATE_TRANSMISSION;

    private final InFlightOriginals inFlight;
    private final Router router;
    private final IssuerLinks links;
    private final Journal journal;
    private final JournalReader reader;
    private final Hsm hsm;
    private final JournalRecords records;
    private final IssuerRequests requests;
    private final TerminalReversals reversals;
    private final TransactionVoids voids;
    private final LinkedTransactions linked;
    /** Approvals the switch gives itself: stand-in, completion advices. */
    private final SwitchApprovals approvals;
    private final StandIn standIn;
    private final Runnable deliverQueuedSoon;
    private final Limits limits;
    private final UnknownOutcomes unknownOutcomes;
    /** Approvals that come in time to a record reversed meanwhile. */
    private final LateApprovals crossed;

    public IssuerAuthorizer(Router router, IssuerLinks links, Journal journal, JournalReader reader, Hsm hsm,
                            JournalRecords records, RrnGenerator rrns, Limits limits, Runnable deliverQueuedSoon, Clock clock) {
        this(router, links, journal, reader, hsm, records, rrns, limits, deliverQueuedSoon, clock, null,
                TransactionsConfig.defaults(), null);
    }

    /**
     * @param counters     the journal database's counters (refunds, completions); null without
     *                     them (refunds and completions are then not checked against their original)
     * @param transactions refund and completion rules
     * @param standIn      stand-in processing, or null to decline 91 whenever an issuer is down
     */
    public IssuerAuthorizer(Router router, IssuerLinks links, Journal journal, JournalReader reader, Hsm hsm,
                            JournalRecords records, RrnGenerator rrns, Limits limits, Runnable deliverQueuedSoon, Clock clock,
                            LimitCounters counters, TransactionsConfig transactions, StandIn standIn) {
        this(router, links, journal, reader, hsm, records, rrns, limits, deliverQueuedSoon, clock, counters, transactions, standIn,
                new UnknownOutcomes(journal), null);
    }

    /**
     * @param unknownOutcomes where approvals whose outcome could not be written go, to be reversed
     * @param voidReversals   what a terminal's reversal of a void does (null: it is acknowledged and moves nothing)
     */
    public IssuerAuthorizer(Router router, IssuerLinks links, Journal journal, JournalReader reader, Hsm hsm,
                            JournalRecords records, RrnGenerator rrns, Limits limits, Runnable deliverQueuedSoon, Clock clock,
                            LimitCounters counters, TransactionsConfig transactions, StandIn standIn,
                            UnknownOutcomes unknownOutcomes, io.isoswitch.settlement.journal.VoidReversals voidReversals) {
        this(router, links, journal, reader, hsm, records, rrns, limits, deliverQueuedSoon, clock, counters, transactions, standIn,
                unknownOutcomes, voidReversals, reason -> { });
    }

    /**
     * @param unmatchedReversals told, with a reason, of every terminal reversal acknowledged that named
     *                           no original it could reverse (another card, amount, or none seen)
     */
    public IssuerAuthorizer(Router router, IssuerLinks links, Journal journal, JournalReader reader, Hsm hsm,
                            JournalRecords records, RrnGenerator rrns, Limits limits, Runnable deliverQueuedSoon, Clock clock,
                            LimitCounters counters, TransactionsConfig transactions, StandIn standIn,
                            UnknownOutcomes unknownOutcomes, io.isoswitch.settlement.journal.VoidReversals voidReversals,
                            java.util.function.Consumer<String> unmatchedReversals) {
        this.unknownOutcomes = unknownOutcomes;
        this.crossed = new LateApprovals(journal, reader, deliverQueuedSoon);
        this.inFlight = new InFlightOriginals(reader);
        this.router = router;
        this.links = links;
        this.journal = journal;
        this.reader = reader;
        this.hsm = hsm;
        this.records = records;
        this.requests = new IssuerRequests(rrns, clock);
        this.linked = counters == null ? null : new LinkedTransactions(reader, counters, transactions, records.nodeId(),
                this::giveBackLater);
        UndoClaims claims = linked == null ? UndoClaims.NONE : linked;
        TerminalReversals.Undo undo = new TerminalReversals.Undo() {
            @Override
            public CompletionStage<Void> apply(Authorization request, JournalEntry original) {
                return undone(request, original);
            }

            @Override
            public void moveFailed(Authorization request, JournalEntry original) {
                LOG.warn("the undoing of journal record {} (terminal {} STAN {}) failed, perhaps after its move committed: its"
                        + " limit counts follow the journal", original.id(), original.request().terminalId(), original.request().stan());
                journalDecidesLater(original.id());
            }
        };
        this.reversals = new TerminalReversals(journal, reader, records, deliverQueuedSoon, undo, this::redone, voidReversals,
                claims, unmatchedReversals);
        this.voids = new TransactionVoids(journal, reader, records, rrns, deliverQueuedSoon, clock, undo, this::redone, claims,
                id -> unknownOutcomes != null && unknownOutcomes.isOwed(id), this::toldStands, voidReversals);
        this.standIn = standIn;
        this.deliverQueuedSoon = deliverQueuedSoon;
        this.limits = limits;
        this.approvals = new SwitchApprovals(new AdvisedRecords(journal, links, rrns, clock), standIn, limits, unknownOutcomes,
                deliverQueuedSoon, this::resolveWithoutIssuer, this::repeated);
    }

    @Override
    public CompletionStage<AuthorizationResult> authorize(Authorization a) {
        if (a.type() == TransactionType.REVERSAL) {
            return reversals.reverse(a);
        }
        if (TransactionVoids.VOIDS.contains(a.type())) {
            return voids.voidOriginal(a);
        }
        // the card's token and its encrypted PAN are computed once, for the limits and the journal
        JournalRequest record = records.request(a);
        LocalDate earliest = records.earliestDateOfARepeat(a, record);
        LocalDate keysIssuedOn = a.session().issuedOn();
        if (earliest == null || keysIssuedOn != null && !keysIssuedOn.isBefore(record.businessDate())) {
            // it names its date, or its keys were issued since the cutover: no request of an earlier date
            // can come under them (a terminal that signs on again may number its STANs afresh)
            return authorizeNew(a, record);
        }
        // a request that names no date, keyed by the business date it arrives on, under keys from before
        // the cutover: sent again (or replayed) since, it is the request of the day before, answered from
        // its record (or refused 94 when it is another transaction under that STAN), before it counts
        // against the limits or goes anywhere
        // and not before the keys' own date: no request of a date before they were issued can come under them
        LocalDate from = keysIssuedOn != null && keysIssuedOn.isAfter(earliest) ? keysIssuedOn : earliest;
        return reader.findByKeyOnEarlierDates(record.key(), from).handle((earlier, failure) -> {
            if (failure != null) {
                LOG.warn("terminal {} STAN {}: the journal could not be read for a repeat from before the cutover: {}",
                        a.terminal().id(), a.stan(), rootCause(failure).toString());
                return CompletableFuture.completedFuture(AuthorizationResult.declined(ResponseCodes.SYSTEM_ERROR, "none"));
            }
            return earlier.isPresent() ? repeated(earlier.get(), record, a.merchant().mcc()) : authorizeNew(a, record);
        }).thenCompose(answer -> answer);
    }

    /** {@link #authorize} of a request no earlier date's record answers. */
    private CompletionStage<AuthorizationResult> authorizeNew(Authorization a, JournalRequest record) {
        Limits.Transaction counted = new Limits.Transaction(a.type().name(), a.pan() == null ? null : record.card().panTokenHex(),
                a.terminal().id(), a.merchant().id(), a.merchant().mcc(), a.amountMinor(), record.currency(), record.businessDate(),
                LinkedTransactions.contributor(record));
        return limits.check(counted).whenComplete((check, failure) -> {
            if (failure != null && UnknownOutcomes.inDoubt(failure)) {
                // the increment's commit may have gone through: its shares are given back later, as the journal decides
                giveBackLater(limits.sharesOf(counted));
            }
        }).thenCompose(check -> check.declineCode().isPresent()
                ? resolveWithoutIssuer(record, check.declineCode().get(), a.merchant().mcc(), null)
                : resolveLinked(a, record).whenComplete((link, failure) -> {
                    if (failure != null) {
                        // the request fails before its journal record (the database away): nothing else
                        // gives back what the limits took; given back later, as the journal decides
                        List<CounterIncrement> shares = new ArrayList<>(check.taken());
                        shares.addAll(check.adopted());
                        giveBackLater(shares);
                    }
                }).thenCompose(link -> {
                    List<CounterIncrement> adopted = new ArrayList<>(check.adopted());
                    adopted.addAll(link.adopted());
                    TakenCounters taken = new TakenCounters(check.taken(), link.reserved(), adopted, this::giveBackLater);
                    return decide(a, record, link, taken).whenComplete((result, failure) -> {
                        if (failure != null) {
                            // every path below answers its own failures (96, 91): this is one none foresaw.
                            // Its terminal hears a MACed 96, trusts it and does not reverse, so nothing else
                            // would give back what it took (its daily shares, its share of an original)
                            taken.handToTheJournal();
                        }
                    });
                }));
    }

    /**
     * What becomes of a request whose limits passed and whose original (if any) was found: declined
     * without the issuer, accepted as an advice, or routed and sent. A failure, even one thrown
     * before a stage is returned, completes the stage exceptionally, so that the caller sees it.
     */
    private CompletionStage<AuthorizationResult> decide(Authorization a, JournalRequest record, LinkedTransactions.Linked link,
                                                        TakenCounters taken) {
        return CompletableFuture.<Void>completedFuture(null).thenCompose(now -> {
            if (link.declineCode() != null) {
                // journaled first: a record new for this request makes what it took over its own to give back;
                // a repeat answered approved from a record that stands keeps what it took (its counts)
                return resolveWithoutIssuer(record, link.declineCode(), a.merchant().mcc(), taken)
                        .thenCompose(result -> ResponseCodes.isApproval(result.responseCode())
                                ? CompletableFuture.completedFuture(result)
                                : taken.giveBack(limits).handle((released, failure) -> result));
            }
            JournalRequest linkedRecord = link.originalId() == null ? record : record.withOriginalId(link.originalId());
            CompletionStage<AuthorizationResult> decided = a.type() == TransactionType.PREAUTH_COMPLETION_ADVICE
                    ? approvals.acceptAdvice(a, linkedRecord, link, taken)
                    : routeAndSend(a, linkedRecord, link.original(), taken);
            return decided.thenCompose(result -> ResponseCodes.isApproval(result.responseCode())
                    ? CompletableFuture.completedFuture(result)
                    // declined or unanswered: what the limits took is given back (a timed-out
                    // request is reversed, so it must not count either)
                    : taken.giveBack(limits).handle((released, failure) -> result));
        });
    }

    /** The shares of record {@code id}, an approval undone, go as the journal decides ({@link UnknownOutcomes#journalDecidesLater}). */
    private void journalDecidesLater(java.util.UUID id) {
        if (unknownOutcomes != null) {
            unknownOutcomes.journalDecidesLater(id);
        }
    }

    /** Shares of a request not approved that could not be given back now ({@link UnknownOutcomes#giveBackLater}). */
    private void giveBackLater(List<CounterIncrement> shares) {
        if (unknownOutcomes != null) {
            unknownOutcomes.giveBackLater(shares);
        }
    }

    /**
     * An approval was reversed or voided by {@code request} (of the same terminal): the limit
     * counts, the stand-in allowance and the share of its original (a refund's, a completion's) it
     * took are given back. Only an approval that stood when
     * it was undone holds them: one still at the issuer (SENT) gives its counts back itself when its answer
     * finds it reversed. Shares a failure (the database away) could not give back are given back
     * later, as the journal decides ({@link UnknownOutcomes#journalDecidesLater}: the original no
     * longer stands); kept, they would count against the card, terminal and merchant for the rest of
     * the day, and a refund's or completion's share would keep its original from being refunded or
     * completed again.
     */
    private CompletionStage<Void> undone(Authorization request, JournalEntry original) {
        return giveBackOrLater(original, stood(original) ? countedAs(request, original) : null, "an undone approval's limit counts")
                .thenCompose(given -> StandInAllowances.reversed(standIn, original));
    }

    /**
     * Gives back {@code entry}'s share of its original and {@code counted} (null: its counts are not
     * held); what fails (the database away) is left to the journal ({@link #journalDecidesLater}),
     * logged as {@code what}. Completes normally either way.
     */
    private CompletionStage<Void> giveBackOrLater(JournalEntry entry, Limits.Transaction counted, String what) {
        CompletionStage<Boolean> shares = linked == null ? CompletableFuture.completedFuture(true) : linked.reversed(entry);
        return shares.thenCompose(given -> (counted == null ? CompletableFuture.<Void>completedFuture(null) : limits.giveBack(counted))
                .thenApply(counts -> given)).handle((given, failure) -> {
                    if (failure != null || !given) {
                        LOG.warn("{} (journal record {}, terminal {} STAN {}) could not be given back now, given back later: {}", what,
                                entry.id(), entry.request().terminalId(), entry.request().stan(),
                                failure == null ? "its share of its original" : rootCause(failure).toString());
                        journalDecidesLater(entry.id());
                    }
                    return null;
                });
    }

    /**
     * A voided approval stands again (its void was reversed before it left): it counts again, and
     * the void's claim on it is given back, so that it can be refunded (or completed) again.
     */
    private CompletionStage<Void> redone(Authorization request, JournalEntry original) {
        CompletionStage<Void> shares = linked == null ? CompletableFuture.completedFuture(null)
                : linked.release(original).thenCompose(released -> linked.restored(original));
        CompletionStage<Void> counts = shares.thenCompose(taken -> stood(original)
                ? limits.countAgain(original.id(), countedAs(request, original))
                : CompletableFuture.completedFuture(null));
        return counts.handle((counted, failure) -> {
            if (failure != null) {
                LOG.warn("a restored approval's limit counts could not be taken again: {}", rootCause(failure).toString());
            }
            return null;
        }).thenCompose(counted -> StandInAllowances.restored(standIn, original));
    }

    /**
     * Records a node left SENT when its process died, resolved since by crash recovery at its start
     * or by another node's take-over (reversed, or timed out): the request that took their daily
     * counts and their share of an original died with that process, so nothing else gives them
     * back, and the card, terminal or merchant would carry until the next business date the count of
     * a transaction that was reversed (a terminal retrying it after the restart counted twice). They
     * are given back here as for a request its issuer did not answer. Not for records a live node
     * resolves late (its stale sweep): their terminals were answered 96, which gave them back.
     *
     * @param mccOfMerchant a merchant's category, or "" where it is not known (the default limits)
     */
    public CompletionStage<Void> resolvedAfterCrash(List<JournalEntry> resolved,
                                                    java.util.function.Function<String, String> mccOfMerchant) {
        CompletableFuture<?>[] each = resolved.stream().map(entry -> {
            JournalRequest r = entry.request();
            Limits.Transaction counted = new Limits.Transaction(r.transactionType(), r.card() == null ? null : r.card().panTokenHex(),
                    r.terminalId(), r.merchantId(), mccOfMerchant.apply(r.merchantId()), r.amountMinor(), r.currency(),
                    r.businessDate(), LinkedTransactions.contributor(r));
            return giveBackOrLater(entry, counted, "the limit counts of a record resolved after a crash").toCompletableFuture();
        }).toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(each);
    }

    private static boolean stood(JournalEntry original) {
        return original.state() == TransactionState.APPROVED || original.state() == TransactionState.STAND_IN_APPROVED;
    }

    /** The original as the limits counted it; the merchant's category is the request's (same terminal, same merchant). */
    private static Limits.Transaction countedAs(Authorization request, JournalEntry original) {
        JournalRequest r = original.request();
        return new Limits.Transaction(r.transactionType(), r.card() == null ? null : r.card().panTokenHex(), r.terminalId(),
                r.merchantId(), request.merchant().mcc(), r.amountMinor(), r.currency(), r.businessDate(),
                LinkedTransactions.contributor(r));
    }

    private CompletionStage<LinkedTransactions.Linked> resolveLinked(Authorization a, JournalRequest record) {
        // a failure thrown while the lookup is set up fails the stage too, so that the limits' shares still go back
        return linked == null ? CompletableFuture.completedFuture(LinkedTransactions.Linked.NONE)
                : CompletableFuture.<Void>completedFuture(null).thenCompose(now -> linked.resolve(a, record));
    }

    private CompletionStage<AuthorizationResult> routeAndSend(Authorization a, JournalRequest record, JournalEntry original,
                                                              TakenCounters taken) {
        TransactionFacts facts = new TransactionFacts(a.mti(), a.processingCode(),
                a.currency() == null ? 0 : Integer.parseInt(a.currency()), a.amountMinor());
        if (a.type() == TransactionType.PREAUTH_COMPLETION && original != null && original.request().issuer() != null) {
            // the hold is at the issuer that approved the pre-authorization (the secondary, if it
            // was approved during a failover): the completion goes there or nowhere, since any
            // other issuer answers 25 and the merchant could never capture
            String holder = original.request().issuer().issuerId();
            if (healthy(holder)) {
                return send(a, record, original, links.link(holder), taken);
            }
            countIfDown(holder);
            return unavailable(holder, record, a.merchant().mcc(), taken);
        }
        RoutingDecision routing = router.route(a.pan(), facts, this::healthy);
        return switch (routing) {
            case RoutingDecision.NoRoute none -> resolveWithoutIssuer(record, ResponseCodes.NO_SUCH_ISSUER, a.merchant().mcc(), taken);
            case RoutingDecision.NoIssuerAvailable down -> {
                // the secondary an issuer's own configuration names (issuers[].secondaryIssuerId)
                // takes its traffic as a route's secondary would
                String secondary = configuredSecondary(down.primary());
                if (secondary != null) {
                    yield send(a, record, original, links.link(secondary), taken);
                }
                countIfDown(down.primary());
                yield standIn == null ? unavailable(down.primary(), record, a.merchant().mcc(), taken)
                        : approvals.inStandIn(down.primary(), a, record, taken).thenApply(r -> r.forIssuer(down.primary()));
            }
            case RoutingDecision.Routed routed -> send(a, record, original, links.link(routed.issuer()), taken);
        };
    }

    /**
     * 91 for a request whose issuer is down and that nothing else takes: counted, and labelled, under
     * that issuer (judge A: every 91 of an outage was counted under issuer "none", and the link's
     * unavailable counter stayed at 0, since routing never asked the link).
     */
    private CompletionStage<AuthorizationResult> unavailable(String issuer, JournalRequest record, String mcc, TakenCounters taken) {
        return resolveWithoutIssuer(record, ResponseCodes.ISSUER_UNAVAILABLE, mcc, taken).thenApply(r -> r.forIssuer(issuer));
    }

    /** Counts a request its issuer's link could not take, being down (answered 91, or in stand-in). */
    private void countIfDown(String issuer) {
        if (!links.isUp(issuer)) {
            links.link(issuer).refusedWhileDown();
        }
    }

    /** Whether requests may go to {@code issuer}: its link is up and it is not in stand-in. */
    private boolean healthy(String issuer) {
        return links.isUp(issuer) && (standIn == null || standIn.healthy(issuer));
    }

    /** The secondary {@code primary}'s issuer configuration names, when it is healthy; else null. */
    private String configuredSecondary(String primary) {
        return links.secondaryOf(primary).filter(this::healthy).orElse(null);
    }

    private CompletionStage<AuthorizationResult> send(Authorization a, JournalRequest unrouted, JournalEntry original,
                                                      IssuerLink link, TakenCounters taken) {
        int stan;
        try {
            stan = link.reserve();
        } catch (IllegalStateException e) {
            // no STAN to be had (the next block has not come from the journal yet): nothing was sent
            return resolveWithoutIssuer(unrouted, ResponseCodes.ISSUER_UNAVAILABLE, a.merchant().mcc(), taken);
        }
        IssuerRequests.Prepared prepared = requests.prepare(a, original, (pinBlock, keys) -> translatePin(a, pinBlock, keys));
        JournalRequest record = unrouted.withIssuer(new IssuerLeg(link.issuerId(),
                Stans.sixDigits(stan), prepared.rrn(), prepared.sentAt()));
        return journal.recordSent(record).thenCompose(sent -> switch (sent) {
            case SentResult.Duplicate duplicate -> {
                link.release(stan);
                // a repeat is not a new transaction: it must not count against the limits twice
                yield taken.giveBack(limits).handle((released, failure) -> repeated(duplicate.entry(), record, a.merchant().mcc()))
                        .thenCompose(answer -> answer);
            }
            case SentResult.Recorded recorded -> {
                taken.owned();
                yield link.send(prepared.mti(), stan, prepared.writer())
                    .handle((answer, failure) -> afterIssuer(recorded.entry(), link.issuerId(), a, prepared, answer, failure))
                    .thenCompose(stage -> stage)
                    .handle((result, failure) -> failure == null ? CompletableFuture.completedFuture(result)
                            : outcomeUnknown(a, recorded.entry(), link.issuerId(), failure, taken))
                    .thenCompose(stage -> stage);
            }
        }).exceptionally(failure -> {
            link.release(stan);
            taken.recordUnknown();
            LOG.warn("journal could not record {}: {}", a, rootCause(failure).toString());
            return AuthorizationResult.declined(ResponseCodes.SYSTEM_ERROR, link.issuerId());
        });
    }

    /**
     * Sent, but the outcome could not be journaled: 96, and what the issuer did is undone. The
     * reversal owed is on the node's disk before the 96 leaves ({@link UnknownOutcomes#add}). The
     * approval may stand all the same (a repeat told so, before the reversal): its limit counts and
     * its share of an original stay taken until the owed reversal is settled, and then follow what
     * the journal says ({@link TakenCounters#leaveToTheJournal}); a database out now cannot strand them.
     */
    private CompletionStage<AuthorizationResult> outcomeUnknown(Authorization a, JournalEntry entry, String issuer, Throwable failure,
                                                                TakenCounters taken) {
        LOG.warn("journal could not record the outcome of {}: {}", a, rootCause(failure).toString());
        AuthorizationResult declined = AuthorizationResult.declined(ResponseCodes.SYSTEM_ERROR, issuer);
        if (!a.type().reversedOnTimeout()) {
            return CompletableFuture.completedFuture(declined);
        }
        taken.leaveToTheJournal();
        return unknownOutcomes.add(entry.id(), SafRequest.reversal(issuer, ResponseCodes.SYSTEM_ERROR, a.amountMinor(), a.currency(),
                        IccData.withoutCardData(a.iccData())))
                .thenApply(kept -> declined);
    }

    private CompletionStage<AuthorizationResult> afterIssuer(JournalEntry entry, String issuer, Authorization a,
                                                             IssuerRequests.Prepared prepared, IssuerResponse answer, Throwable failure) {
        if (failure != null) {
            Throwable cause = rootCause(failure);
            // a PIN that could not be translated never reached the issuer; of the requests one lost
            // connection failed together, only one says something of the issuer
            if (standIn != null && !(cause instanceof PinTranslationException)
                    && !(cause instanceof IssuerConnectionLostException lost && !lost.countsAgainstIssuer())) {
                standIn.failed(issuer);
            }
            if (cause instanceof IssuerTimeoutException || cause instanceof IssuerConnectionLostException) {
                // written to the wire, no answer: the issuer may have acted. Money-moving requests
                // are reversed; inquiries just time out.
                boolean reverse = a.type().reversedOnTimeout();
                SafRequest reversal = reverse ? SafRequest.reversal(issuer, "68", a.amountMinor(), a.currency(),
                        IccData.withoutCardData(a.iccData())) : null;
                return journal.transition(entry.id(), TransactionState.SENT,
                                reverse ? TransactionState.REVERSAL_PENDING : TransactionState.TIMED_OUT, reversal)
                        .thenApply(moved -> AuthorizationResult.declined(ResponseCodes.ISSUER_UNAVAILABLE, issuer));
            }
            // never written to the wire: nothing to reverse
            if (cause instanceof IssuerUnavailableException && standIn != null) {
                return new UnsentStandIn(journal, standIn, deliverQueuedSoon).decide(entry, issuer, a);
            }
            String code = cause instanceof PinTranslationException ? PIN_BLOCK_ERROR
                    : cause instanceof IssuerUnavailableException ? ResponseCodes.ISSUER_UNAVAILABLE : ResponseCodes.SYSTEM_ERROR;
            if (code.equals(ResponseCodes.SYSTEM_ERROR)) {
                LOG.error("a request to issuer {} failed before it was sent: {}", issuer, cause.toString());
            }
            return journal.recordOutcome(entry.id(), Outcome.declined(code))
                    .thenApply(recorded -> AuthorizationResult.declined(code, issuer).of(entry));
        }
        String issuerCode = answer.responseCode();
        IsoMessageView fields = answerView(answer).validate();
        boolean partial = ResponseCodes.PARTIAL_APPROVAL.equals(issuerCode);
        String mismatch = partial ? null : AnswerEchoes.mismatch(fields, IssuerRequests.sendsAmount(a) ? a.amountMinor() : -1,
                IssuerRequests.currency(a), a.terminal().id(), prepared.rrn());
        if (standIn != null) {
            if (mismatch != null || ResponseCodes.ISSUER_UNAVAILABLE.equals(issuerCode) || ResponseCodes.SYSTEM_ERROR.equals(issuerCode)) {
                standIn.failed(issuer);
            } else {
                standIn.succeeded(issuer);
            }
        }
        if (mismatch != null) {
            return notThisRequestsAnswer(entry, issuer, a, issuerCode, mismatch);
        }
        if (partial && a.type().reversedOnTimeout()) {
            return PartialApprovals.undo(journal, unknownOutcomes, crossed, deliverQueuedSoon, entry, issuer, a, fields);
        }
        String code = ResponseCodes.approvalForTerminal(issuerCode);
        Map<Integer, Object> added = new HashMap<>();
        added.put(37, prepared.rrn());
        String authCode = fields.has(38) ? fields.getString(38).trim() : null;
        if (authCode != null && !authCode.isEmpty()) {
            added.put(38, authCode);
        }
        if (fields.has(54) && a.type() == TransactionType.BALANCE_INQUIRY) {
            // the balance answers an inquiry only: other answers must equal their repeats, which
            // come from the journal without it
            added.put(54, BalanceAmounts.forTerminal(fields.getString(54), "cup-pos".equals(a.terminal().dialect())));
        }
        if (answer.iccData() != null) {
            // the issuer's chip data (ARPC 91, scripts 71/72) for the card, on approvals and
            // declines alike
            added.put(IccData.FIELD, answer.iccData());
        }
        // of it, the journal keeps 91, 71 and 72 (no card data in them) for a repeat to carry
        byte[] issuerTags = IccData.issuerTags(answer.iccData());
        Outcome outcome = ResponseCodes.isApproval(code)
                ? new Outcome(TransactionState.APPROVED, code, authCode == null || authCode.isEmpty() ? null : authCode, issuerTags)
                : new Outcome(TransactionState.DECLINED, code, null, issuerTags);
        // read now: the view is this thread's, reused for its next answer while the write commits
        long answeredAmount = answeredAmount(fields);
        // a write that fails here is undone by the caller: the terminal hears 96, yet the issuer
        // approved and the write may have committed
        return journal.recordOutcome(entry.id(), outcome).thenCompose(moved -> moved.applied()
                ? CompletableFuture.completedFuture(new AuthorizationResult(code, added, issuer).of(entry))
                // the record moved on without this answer (its terminal reversed it): it stays late, and
                // an approval is reversed again, in case that reversal reached the issuer first
                : crossed.crossedItsReversal(entry, moved.state(), issuerCode, answeredAmount)
                        .thenApply(queued -> AuthorizationResult.declined(ResponseCodes.ISSUER_UNAVAILABLE, issuer)));
    }

    /**
     * An answer whose echoed fields are not the request's ({@link AnswerEchoes}): whatever it says,
     * it cannot be booked as this request's outcome, and the issuer may have acted on the request
     * (booked it, perhaps for another amount). So it is handled as no answer at all, as an answer
     * dropped for a bad MAC is after its timeout, only at once: a request that moves money is
     * reversed (SENT -> REVERSAL_PENDING, the reversal queued for the amount asked: a full reversal
     * names its original, whose booking the issuer undoes), an inquiry times out, and the terminal
     * hears 91, as a repeat of it will. An approval that finds its record reversed meanwhile is
     * reversed again ({@link LateApprovals#crossedItsReversal}).
     */
    private CompletionStage<AuthorizationResult> notThisRequestsAnswer(JournalEntry entry, String issuer, Authorization a,
                                                                      String issuerCode, String mismatch) {
        LOG.warn("issuer {} answered {} for terminal {} STAN {} with {} not the request's: taken as no answer{}", issuer,
                issuerCode, a.terminal().id(), a.stan(), mismatch, a.type().reversedOnTimeout() ? ", reversed" : "");
        boolean reverse = a.type().reversedOnTimeout();
        SafRequest reversal = reverse ? SafRequest.reversal(issuer, ResponseCodes.SYSTEM_ERROR, a.amountMinor(),
                IssuerRequests.currency(a), IccData.withoutCardData(a.iccData())) : null;
        return journal.transition(entry.id(), TransactionState.SENT,
                        reverse ? TransactionState.REVERSAL_PENDING : TransactionState.TIMED_OUT, reversal)
                .thenCompose(moved -> {
                    if (reverse && moved.applied()) {
                        deliverQueuedSoon.run();
                    }
                    // the record moved on without this answer (its terminal reversed it): an approval is
                    // reversed again, as one that echoes the request is, in case that reversal reached
                    // the issuer first; for the amount asked, since what this answer names is not trusted
                    CompletableFuture<Void> again = reverse && !moved.applied()
                            ? crossed.crossedItsReversal(entry, moved.state(), issuerCode, 0)
                            : CompletableFuture.completedFuture(null);
                    return again.thenApply(queued -> AuthorizationResult.declined(ResponseCodes.ISSUER_UNAVAILABLE, issuer));
                });
    }

    /**
     * {@link #answerRepeat}, except for an approval whose terminal heard 96 (its outcome write
     * seemed to fail) and that waits for its reversal: the repeat hears 96 too, not the approval.
     *
     * <p>Only the node that answered 96 knows of it (in memory and on its own disk): to another
     * node, or before the owed reversal was written, the record may read APPROVED (the write did
     * commit, its acknowledgement was lost). The journal decides, on every node alike, the one
     * that owes the reversal too: it answers 96 from its memory only a record still SENT (its
     * outcome never committed). Before, it answered 96 to every repeat until its reversal was paid,
     * so a terminal repeating once the database was back heard 96 for an approval that could
     * stand, while another node told it 00. So an approval is told to a repeat only once the
     * journal has marked it so while it still stands ({@link Journal#answerToRepeat}), and the owed
     * reversal does not apply to a record so marked: either the reversal came first and the repeat
     * hears 96, or the repeat's 00 came first and the approval stands. What the terminal last heard
     * is what the card keeps, and what the approval counts: the 96 gave back its limit counts, its
     * stand-in allowance and its share of an original, so a repeat told it stands takes them again
     * ({@link #standsAgain}; once, since each is held under the request's identity: for a repeat of
     * an approval that never gave them back it changes nothing). Before, a card whose approval
     * stood that way could go past its daily limit by that approval.
     *
     * @param mcc the merchant's category (the request's: the same terminal's), for its limits
     */
    private CompletionStage<AuthorizationResult> repeated(JournalEntry original, JournalRequest attempted, String mcc) {
        if (sameTransaction(original.request(), attempted) && original.state() == TransactionState.SENT
                && !unknownOutcomes.isOwed(original.id())) {
            // the first copy is still at its issuer: answered as it is answered ({@link InFlightOriginals})
            return inFlight.settled(original).thenCompose(settled -> asItStands(settled, attempted, mcc));
        }
        return asItStands(original, attempted, mcc);
    }

    /** {@link #repeated} from {@code original} as it stands now, without waiting for it. */
    private CompletionStage<AuthorizationResult> asItStands(JournalEntry original, JournalRequest attempted, String mcc) {
        String issuer = original.request().issuer() == null ? "none" : original.request().issuer().issuerId();
        boolean same = sameTransaction(original.request(), attempted);
        if (same && unknownOutcomes.isOwed(original.id()) && !stood(original)) {
            // its outcome never committed (SENT): the reversal this node owes will undo it
            return CompletableFuture.completedFuture(AuthorizationResult.declined(ResponseCodes.SYSTEM_ERROR, issuer));
        }
        AuthorizationResult answer = answerRepeat(original, attempted);
        if (!same || !ResponseCodes.isApproval(answer.responseCode()) || !stood(original)) {
            return CompletableFuture.completedFuture(answer);
        }
        return toldStands(original, mcc).thenApply(stands -> stands ? answer
                : AuthorizationResult.declined(ResponseCodes.SYSTEM_ERROR, issuer));
    }

    /**
     * Marks {@code approval} as told that it stands while it still reads as it was read
     * ({@link Journal#answerToRepeat}), so that no reversal owed for it (on any node) applies any
     * more, and then takes again what it counts ({@link #standsAgain}); true when the mark applied.
     * False when it moved since it was read (the reversal owed for a 96, or its terminal's) or the
     * mark could not be written: it may not stand, and whoever asked must not be told it does.
     *
     * @param mcc the merchant's category (the asking request's: the same terminal's), for its limits
     */
    private CompletionStage<Boolean> toldStands(JournalEntry approval, String mcc) {
        return journal.answerToRepeat(approval.id(), approval.state()).handle((marked, failure) -> {
            if (failure == null && marked.applied()) {
                return standsAgain(approval, mcc).thenApply(counted -> true).toCompletableFuture();
            }
            LOG.info("journal record {} was to be told it stands and found its approval {}", approval.id(),
                    failure == null ? "moved to " + marked.state() : "not markable (" + rootCause(failure) + ")");
            return CompletableFuture.completedFuture(false);
        }).thenCompose(stands -> stands);
    }

    /**
     * An approval a repeat was told stands ({@link Journal#answerToRepeat} applied): it holds its
     * limit counts, its stand-in allowance and its share of an original, whatever its first answer
     * gave back. Each is taken only where the counter does not hold it under the request's identity
     * already, and beyond any limit (the approval stands). A failure only leaves a count too low for
     * the day; it is logged.
     */
    private CompletionStage<Void> standsAgain(JournalEntry original, String mcc) {
        JournalRequest r = original.request();
        Limits.Transaction counted = new Limits.Transaction(r.transactionType(), r.card() == null ? null : r.card().panTokenHex(),
                r.terminalId(), r.merchantId(), mcc, r.amountMinor(), r.currency(), r.businessDate(),
                LinkedTransactions.contributor(r));
        CompletionStage<Void> shares = linked == null ? CompletableFuture.completedFuture(null) : linked.restored(original);
        return shares.thenCompose(taken -> limits.countAgain(original.id(), counted)).handle((taken, failure) -> {
            if (failure != null) {
                LOG.warn("the limit counts of an approval a repeat was told stands could not be taken again: {}",
                        rootCause(failure).toString());
            }
            return null;
        }).thenCompose(taken -> StandInAllowances.restored(standIn, original));
    }

    /**
     * A request whose idempotency key (terminal, STAN, date, message class) is taken. If it is the
     * same transaction (amount, processing code, card), it is a repeat and gets the original's
     * outcome (96 for an approval since reversed), or 94 while the original is still at the issuer. If it is another transaction (a
     * terminal that reused a STAN the same day, e.g. after a reset), answering it from the journal
     * would tell the terminal that money moved when it did not: it is declined 94 and moves nothing.
     */
    static AuthorizationResult answerRepeat(JournalEntry original, JournalRequest attempted) {
        String issuer = original.request().issuer() == null ? "none" : original.request().issuer().issuerId();
        if (!sameTransaction(original.request(), attempted)) {
            LOG.info("terminal {} reused STAN {} for another transaction the same day: declined 94",
                    attempted.terminalId(), attempted.stan());
            return AuthorizationResult.declined(ResponseCodes.DUPLICATE_TRANSMISSION, issuer);
        }
        if (original.outcome() == null) {
            return AuthorizationResult.declined(original.state() == TransactionState.SENT
                    ? DUPLICATE_IN_FLIGHT : ResponseCodes.ISSUER_UNAVAILABLE, issuer);
        }
        if (ResponseCodes.isApproval(original.outcome().responseCode())
                && (original.state() == TransactionState.REVERSAL_PENDING || original.state() == TransactionState.REVERSED)) {
            // the approval no longer stands (reversed by its terminal, or by the switch after the
            // terminal heard 96): a terminal that hears it approved now would hand over the goods
            return AuthorizationResult.declined(ResponseCodes.SYSTEM_ERROR, issuer);
        }
        Map<Integer, Object> added = new HashMap<>();
        if (original.request().issuer() != null) {
            added.put(37, original.request().issuer().switchRrn());
        }
        if (original.outcome().authCode() != null) {
            added.put(38, original.outcome().authCode());
        }
        byte[] issuerTags = original.outcome().responseData();
        if (issuerTags != null) {
            // the issuer's 91/71/72 as the journal kept them (IccData.issuerTags): the card gets its ARPC again
            added.put(IccData.FIELD, issuerTags);
        }
        return new AuthorizationResult(original.outcome().responseCode(), added, issuer).of(original);
    }

    /**
     * The answer to a request the switch journaled as declined with {@code code} without asking an
     * issuer, or, when its key was taken, the answer to a repeat.
     */
    static AuthorizationResult declinedUnlessRepeat(SentResult sent, JournalRequest record, String code) {
        return sent instanceof SentResult.Duplicate duplicate
                ? answerRepeat(duplicate.entry(), record)
                : AuthorizationResult.declined(code, "none").of(sent.entry());
    }

        static boolean sameTransaction(JournalRequest original, JournalRequest attempted) {
        return original.amountMinor() == attempted.amountMinor()
                && original.processingCode().equals(attempted.processingCode())
                && java.util.Arrays.equals(original.card().panToken(), attempted.card().panToken());
    }

    /**
     * Journals {@code record} declined with {@code code}, asking no issuer. A record new for the
     * request makes the shares it took over ({@code taken}'s adopted ones) its own to give back
     * ({@link TakenCounters#owned()}); a write that failed hands them to the journal to decide
     * ({@link TakenCounters#recordUnknown()}); a repeat answered from the record under its key leaves
     * them to that record's request. Before, a repeat that took over the shares of an attempt answered
     * 96 and was then declined here kept them: the card, terminal and merchant counted a transaction
     * that never stood for the rest of the day.
     *
     * @param mcc   the merchant's category (the request's), for the limits a repeat's approval counts under
     * @param taken the shares the request took, or null where it took none
     */
    private CompletionStage<AuthorizationResult> resolveWithoutIssuer(JournalRequest record, String code, String mcc,
                                                                      TakenCounters taken) {
        return journal.recordResolved(record, Outcome.declined(code), null)
                .thenCompose(sent -> {
                    if (sent instanceof SentResult.Duplicate duplicate) {
                        return repeated(duplicate.entry(), record, mcc);
                    }
                    if (taken != null) {
                        taken.owned();
                    }
                    return CompletableFuture.completedFuture(AuthorizationResult.declined(code, "none").of(sent.entry()));
                })
                .exceptionally(failure -> {
                    if (taken != null) {
                        taken.recordUnknown();
                    }
                    return AuthorizationResult.declined(ResponseCodes.SYSTEM_ERROR, "none");
                });
    }

    /** Field 4 of an issuer's answer, or 0 where it has none or none that reads as an amount. */
    private static long answeredAmount(IsoMessageView fields) {
        try {
            return fields.has(4) ? fields.amountMinor() : 0;
        } catch (RuntimeException unreadable) {
            return 0;
        }
    }

    /**
     * A view of {@code answer} reused by this thread: reading fields 38 and 54 needs no decoded
     * copy of the whole answer (IssuerResponse.toMessage built one per transaction).
     */
    private static IsoMessageView answerView(IssuerResponse answer) {
        IsoMessageView[] last = ANSWER_VIEWS.get();
        if (last[0] == null || last[0].spec() != answer.spec()) {
            last[0] = new IsoMessageView(answer.spec());
        }
        return answer.wrapIn(last[0]);
    }

    /** The PAN a block formed without one is bound to: its 12 digits before the check digit are zeros. */
    private static final String NO_PAN = "0000000000000";

    /** Re-encrypts the terminal's PIN block under the ZPK of the connection the request goes out on, bound to the card's PAN. */
    private byte[] translatePin(Authorization a, byte[] pinBlock, WorkingKeys keys) {
        if (keys == null || keys.zonePinKey() == null) {
            throw new PinTranslationException("no zone PIN key on the issuer connection");
        }
        try {
            return hsm.translatePin(a.session().pinKey(), pinBlock, PinBlockFormat.ISO_0, a.pinWithoutPan() ? NO_PAN : a.pan(),
                    keys.zonePinKey(), PinBlockFormat.ISO_0, a.pan());
        } catch (RuntimeException e) {
            throw new PinTranslationException(e.getMessage());
        }
    }

    /** {@code failure} without the {@link CompletionException}s that async stages wrap it in. */
    static Throwable rootCause(Throwable failure) {
        Throwable t = failure;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
