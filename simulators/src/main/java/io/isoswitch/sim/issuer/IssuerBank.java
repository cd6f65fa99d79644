package io.isoswitch.sim.issuer;

import io.isoswitch.sim.card.CardAccount;
import io.isoswitch.sim.card.CardStatus;
import io.isoswitch.sim.ledger.AccountBalance;
import io.isoswitch.sim.ledger.Ledger;
import io.isoswitch.sim.ledger.LedgerEntry;
import io.isoswitch.sim.ledger.LedgerLog;
import io.isoswitch.sim.ledger.RequestReference;
import java.time.Clock;
import java.time.MonthDay;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One simulated issuer bank: its cards, its ledger, and the decision for every request.
 *
 * <p><b>Concurrency.</b> The bank is a single writer: {@link #authorize} runs under one lock. The
 * critical section is a few map look-ups and at most two ledger entries (microseconds; with a
 * {@link LedgerLog}, plus one write of the booking to the operating system);
 * PIN and MAC cryptography happen before it, outside. One lock rather than one per account
 * because a reversal finds its account only through its original, and a reversal may race its
 * own original or a repeat of itself: under one lock every such race has a single order, and the
 * ledger's entry sequence is a total order an audit can replay.
 *
 * <p><b>Idempotency.</b> Every answer is kept under its request key (message class, acquirer,
 * STAN, date). A repeat (or a resend) gets the kept answer and books nothing. A reversal reverses
 * the entries its original booked, once; a second reversal of the same original finds them
 * reversed and is answered 00 with nothing moved. A reversal whose original never arrived is
 * acknowledged and remembered, so that an original arriving after it is declined (05) rather than
 * booked, unless told to forget them ({@link #rememberReversalsOfUnseenOriginals}), as issuer hosts
 * that match a reversal only against what they hold do. Only 91 answers (the bank was offline)
 * are not kept: the request never reached it.
 */
public final class IssuerBank {
    private final String name;
    private final IssuerPolicy policy;
    private final Clock clock;
    private final Map<String, CardAccount> cardsByPan = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Ledger ledger;
    /** Where every booking goes before its answer leaves, or null for a bank whose books die with it. */
    private final LedgerLog log;
    private final Map<RequestKey, AuthorizationResult> answers = new HashMap<>();
    private final Map<AdviceKey, AuthorizationResult> adviceAnswers = new HashMap<>();
    private final Map<RequestKey, String> accountOfRequest = new HashMap<>();
    private final Set<RequestKey> reversedBeforeSeen = new HashSet<>();
    private final Map<String, Integer> pinFailures = new HashMap<>();
    private long approvals;
    private long bookingsTakenUp;
    private volatile boolean online = true;
    private volatile boolean partialApprovals;
    private volatile ResponseCode fullApprovalCode = ResponseCode.APPROVED;
    private volatile boolean rememberReversalsOfUnseenOriginals = true;

    /**
     * Identifies a request for repeats and for reversals: class, acquirer, STAN, transmission date
     * and time (what field 90 names). Date alone took a request whose STAN came round the same day
     * (an acquirer's millionth request of the day) for a repeat, and answered it from memory.
     */
    record RequestKey(MessageClass messageClass, String acquirerId, int stan, MonthDay date, String time) {
        static RequestKey of(MessageClass messageClass, RequestReference reference) {
            return new RequestKey(messageClass, reference.acquirerId(), reference.stan(), reference.date(), reference.time());
        }

        static RequestKey of(OriginalData original) {
            return new RequestKey(original.messageClass(), original.acquirerId(), original.stan(), original.date(), original.time());
        }
    }

    /**
     * Identifies an advice across its repeats: an acquirer's store-and-forward may give each
     * attempt (0220, 0221, 0221...) a new STAN and transmission date, but never a new RRN.
     */
    record AdviceKey(MessageClass messageClass, String acquirerId, String rrn) {
    }

    public IssuerBank(String name, Collection<CardAccount> cards, IssuerPolicy policy, Clock clock) {
        this(name, cards, policy, clock, null);
    }

    /**
     * A bank that keeps its books in {@code log}: it takes up the bookings an earlier run wrote there
     * (balances, holds, and the answers that reversals, voids, completions and repeated advices of
     * those requests look up), and appends each new booking before its answer leaves.
     *
     * @param log the bank's ledger log, or null for books kept in memory only
     * @throws IllegalArgumentException when the log books an account these cards do not have
     */
    public IssuerBank(String name, Collection<CardAccount> cards, IssuerPolicy policy, Clock clock, LedgerLog log) {
        this.name = Objects.requireNonNull(name, "name");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
        for (CardAccount card : cards) {
            if (cardsByPan.putIfAbsent(card.pan(), card) != null) {
                throw new IllegalArgumentException("cards: PAN " + card.maskedPan() + " appears twice");
            }
        }
        this.ledger = new Ledger(cards, clock);
        this.log = log;
        if (log != null) {
            takeUp(log.takeBookings());
        }
    }

    /**
     * The bookings of an earlier run, as they were made. Answers that booked nothing (declines,
     * inquiries) are not in the log: a repeat of one is decided again. So is a reversal whose
     * original had not arrived: its original, arriving after the restart, is approved.
     */
    private void takeUp(List<LedgerLog.Booking> bookings) {
        bookingsTakenUp = bookings.size();
        for (LedgerLog.Booking booking : bookings) {
            booking.entries().forEach(ledger::replay);
            MessageClass messageClass = MessageClass.valueOf(booking.requestClass());
            LedgerEntry first = booking.entries().get(0);
            RequestReference reference = first.reference();
            RequestKey key = RequestKey.of(messageClass, reference);
            AuthorizationResult result = new AuthorizationResult(ResponseCode.ofCode(booking.responseCode()),
                    booking.approvalCode(), ledger.balance(first.accountId()), booking.entries());
            answers.put(key, result);
            if (messageClass.isAdvice() && !reference.rrn().isEmpty()) {
                adviceAnswers.put(new AdviceKey(messageClass, reference.acquirerId(), reference.rrn()), result);
            }
            if (!messageClass.isReversal()) {
                accountOfRequest.put(key, first.accountId());
            }
            if (!booking.approvalCode().isEmpty() && booking.approvalCode().chars().allMatch(Character::isDigit)) {
                approvals = Math.max(approvals, Long.parseLong(booking.approvalCode()));
            }
        }
    }

    /** How many bookings of an earlier run the bank took up from its ledger log (0 without one). */
    public long bookingsTakenUp() {
        return bookingsTakenUp;
    }

    /** The bank's name (for logs and metrics). */
    public String name() {
        return name;
    }

    /** The bank's limits. */
    public IssuerPolicy policy() {
        return policy;
    }

    /** The card with this PAN, for the wire layer's PIN and CVV checks; thread-safe. */
    public Optional<CardAccount> card(String pan) {
        return Optional.ofNullable(cardsByPan.get(pan));
    }

    /** Every card, in no particular order; thread-safe. */
    public List<CardAccount> cards() {
        return List.copyOf(cardsByPan.values());
    }

    /** Changes a card's status while running (a card reported lost, say). */
    public void setStatus(String pan, CardStatus status) {
        cardsByPan.computeIfPresent(pan, (p, card) -> card.withStatus(status));
        if (!cardsByPan.containsKey(pan)) {
            throw new IllegalArgumentException("pan: no card " + io.isoswitch.sim.card.Pans.mask(pan));
        }
    }

    /** Takes the bank's core system off line (every request answered 91) or back. */
    public void setOnline(boolean online) {
        this.online = online;
    }

    /**
     * Turns partial approvals on or off (off by default, as an issuer must not send them to an
     * acquirer that did not say it takes them): when on, a purchase, cash withdrawal or
     * pre-authorization for more than the available balance is approved for the available
     * balance, if any, with 10 and the approved amount in field 4, instead of declined 51.
     */
    public void setPartialApprovals(boolean partialApprovals) {
        this.partialApprovals = partialApprovals;
    }

    /** Answers full approvals of purchases, cash and pre-authorizations 11 (approved, VIP) instead of 00, or 00 again. */
    public void setVipApprovals(boolean vipApprovals) {
        setFullApprovalCode(vipApprovals ? ResponseCode.VIP_APPROVAL : ResponseCode.APPROVED);
    }

    /**
     * The code full approvals of purchases, cash and pre-authorizations are answered with: 00 (the
     * default), or one of the approvals that say more, 08, 11 or 16.
     */
    public void setFullApprovalCode(ResponseCode code) {
        if (code != ResponseCode.APPROVED && !code.isFullApprovalVariant()) {
            throw new IllegalArgumentException("not a full approval: " + code);
        }
        this.fullApprovalCode = code;
    }

    /** True unless taken off line. */
    public boolean isOnline() {
        return online;
    }

    /** Decides one request, books its money and keeps the answer for repeats; thread-safe. */
    public AuthorizationResult authorize(AuthorizationRequest request) {
        Objects.requireNonNull(request, "request");
        if (!online) {
            return AuthorizationResult.of(ResponseCode.ISSUER_UNAVAILABLE, null);
        }
        RequestKey key = RequestKey.of(request.messageClass(), request.reference());
        lock.lock();
        try {
            AuthorizationResult kept = answers.get(key);
            AdviceKey adviceKey = request.messageClass().isAdvice() && !request.reference().rrn().isEmpty()
                    ? new AdviceKey(request.messageClass(), request.reference().acquirerId(), request.reference().rrn())
                    : null;
            if (kept == null && adviceKey != null) {
                kept = adviceAnswers.get(adviceKey);
            }
            if (kept != null) {
                return kept;
            }
            AuthorizationResult result = request.messageClass().isReversal() ? reverse(request) : decide(key, request);
            answers.put(key, result);
            if (adviceKey != null) {
                adviceAnswers.put(adviceKey, result);
            }
            if (log != null && !result.entries().isEmpty()) {
                try {
                    log.append(new LedgerLog.Booking(request.messageClass().name(), result.responseCode().code(),
                            result.approvalCode(), result.entries()));
                } catch (java.io.UncheckedIOException e) {
                    // booked in memory, not on disk: this answer must not leave, and no later one may
                    // build on a ledger a restart would not see (91 until the operator steps in)
                    online = false;
                    throw e;
                }
            }
            return result;
        } finally {
            lock.unlock();
        }
    }

    private AuthorizationResult decide(RequestKey key, AuthorizationRequest request) {
        CardAccount card = cardsByPan.get(request.pan());
        AccountBalance before = card == null ? null : ledger.balance(card.accountId());
        if (reversedBeforeSeen.remove(key)) {
            return AuthorizationResult.of(ResponseCode.DO_NOT_HONOUR, before);
        }
        if (TransactionType.ofProcessingCode(request.processingCode()).orElse(null) == TransactionType.VOID
                && !request.messageClass().isAdvice() && !request.messageClass().isReversal()) {
            return voidOriginal(key, request, before);
        }
        int failures = card == null ? 0 : pinFailures.getOrDefault(card.pan(), 0);
        AuthorizationRules.Screening screening = AuthorizationRules.screen(request, card,
                YearMonth.now(clock), policy, failures);
        if (card != null) {
            pinFailures.put(card.pan(), screening.pinFailuresAfter());
        }
        if (screening.decline().isPresent()) {
            return AuthorizationResult.of(screening.decline().get(), before);
        }
        TransactionType type = AuthorizationRules.supportedType(request.messageClass(), request.processingCode())
                .orElseThrow();
        String accountId = card.accountId();
        long amount = request.amountMinor();
        ResponseCode code = ResponseCode.APPROVED;
        List<LedgerEntry> booked = new ArrayList<>(2);
        switch (request.messageClass()) {
            case AUTHORIZATION, FINANCIAL -> {
                if (type == TransactionType.REFUND) {
                    booked.add(ledger.credit(accountId, amount, request.reference()));
                } else if (type != TransactionType.BALANCE_INQUIRY) {
                    if (before.availableMinor() < amount) {
                        if (!partialApprovals || before.availableMinor() <= 0) {
                            return AuthorizationResult.of(ResponseCode.INSUFFICIENT_FUNDS, before);
                        }
                        amount = before.availableMinor();
                        code = ResponseCode.PARTIAL_APPROVAL;
                    }
                    if (code == ResponseCode.APPROVED) {
                        code = fullApprovalCode;
                    }
                    booked.add(request.messageClass() == MessageClass.AUTHORIZATION
                            ? ledger.hold(accountId, amount, request.reference())
                            : ledger.debit(accountId, amount, request.reference()));
                }
            }
            case AUTHORIZATION_ADVICE -> booked.add(ledger.hold(accountId, amount, request.reference()));
            case FINANCIAL_ADVICE -> {
                if (request.original() == null) {
                    // a purchase the acquirer approved in stand-in: the cardholder has the goods,
                    // so it is posted even past the available balance
                    booked.add(ledger.debit(accountId, amount, request.reference()));
                    break;
                }
                ResponseCode refused = completionRefusal(request, accountId, before);
                if (refused != null) {
                    return AuthorizationResult.of(refused, before);
                }
                long holdId = heldEntry(RequestKey.of(request.original())).id();
                booked.addAll(ledger.capture(holdId, amount, request.reference()));
            }
            case REVERSAL, REVERSAL_ADVICE -> throw new IllegalStateException("reversals are not decided here");
        }
        accountOfRequest.put(key, accountId);
        approvals++;
        return new AuthorizationResult(code, ZeroPadded.digits(approvals % 1_000_000, 6),
                ledger.balance(accountId), booked);
    }

    /** Why a completion cannot capture its pre-authorization, or {@code null} when it can. */
    private ResponseCode completionRefusal(AuthorizationRequest request, String accountId, AccountBalance before) {
        if (request.original() == null || (request.original().messageClass() != MessageClass.AUTHORIZATION
                && request.original().messageClass() != MessageClass.AUTHORIZATION_ADVICE)) {
            return ResponseCode.UNABLE_TO_LOCATE_ORIGINAL;
        }
        LedgerEntry hold = heldEntry(RequestKey.of(request.original()));
        if (hold == null || !hold.accountId().equals(accountId)) {
            return ResponseCode.UNABLE_TO_LOCATE_ORIGINAL;
        }
        long left = ledger.holdRemaining(hold.id());
        if (left == 0) {
            return ResponseCode.INVALID_TRANSACTION; // already completed or reversed
        }
        if (request.amountMinor() > policy.maxCompletionMinor(hold.amountMinor())) {
            return ResponseCode.INVALID_AMOUNT;
        }
        // the hold is the cardholder's money set aside for this capture: only what goes past it must
        // be available. A stand-in pre-authorization advice (0120) is held even past the available
        // balance, so available may be negative while the hold still covers its capture.
        long pastTheHold = request.amountMinor() - left;
        if (pastTheHold > 0 && pastTheHold > before.availableMinor()) {
            return ResponseCode.INSUFFICIENT_FUNDS;
        }
        return null;
    }

    private LedgerEntry heldEntry(RequestKey originalKey) {
        AuthorizationResult original = answers.get(originalKey);
        if (original == null || !original.approved()) {
            return null;
        }
        return original.entries().stream().filter(e -> e.kind() == io.isoswitch.sim.ledger.EntryKind.HOLD)
                .findFirst().orElse(null);
    }

    /**
     * A void (processing code 02) names its original in field 90 and undoes it as a reversal
     * would, but is a request of its own that the acquirer waits for: 25 when the original is
     * unknown, declined or of another card, 12 when it was undone before.
     */
    private AuthorizationResult voidOriginal(RequestKey key, AuthorizationRequest request, AccountBalance before) {
        if (request.original() == null || request.original().messageClass().isReversal()) {
            return AuthorizationResult.of(ResponseCode.UNABLE_TO_LOCATE_ORIGINAL, before);
        }
        RequestKey originalKey = RequestKey.of(request.original());
        AuthorizationResult originalAnswer = answers.get(originalKey);
        String accountId = accountOfRequest.get(originalKey);
        CardAccount card = cardsByPan.get(request.pan());
        if (originalAnswer == null || !originalAnswer.approved() || card == null || !card.accountId().equals(accountId)) {
            return AuthorizationResult.of(ResponseCode.UNABLE_TO_LOCATE_ORIGINAL, before);
        }
        List<LedgerEntry> booked = new ArrayList<>(2);
        for (LedgerEntry entry : originalAnswer.entries()) {
            ledger.reverse(entry.id(), request.reference()).ifPresent(booked::add);
        }
        if (booked.isEmpty()) {
            return AuthorizationResult.of(ResponseCode.INVALID_TRANSACTION, before);
        }
        accountOfRequest.put(key, accountId);
        approvals++;
        return new AuthorizationResult(ResponseCode.APPROVED, ZeroPadded.digits(approvals % 1_000_000, 6),
                ledger.balance(accountId), booked);
    }

    private AuthorizationResult reverse(AuthorizationRequest request) {
        OriginalData original = request.original();
        if (original == null || original.messageClass().isReversal()) {
            // nothing to reverse (a reversal of a reversal is acknowledged, never undone)
            return AuthorizationResult.of(ResponseCode.APPROVED, null);
        }
        RequestKey originalKey = RequestKey.of(original);
        AuthorizationResult originalAnswer = answers.get(originalKey);
        if (originalAnswer == null) {
            if (rememberReversalsOfUnseenOriginals) {
                reversedBeforeSeen.add(originalKey);
            }
            return AuthorizationResult.of(ResponseCode.APPROVED, null);
        }
        List<LedgerEntry> booked = new ArrayList<>(2);
        for (LedgerEntry entry : originalAnswer.entries()) {
            ledger.reverse(entry.id(), request.reference()).ifPresent(booked::add);
        }
        String accountId = accountOfRequest.get(originalKey);
        return new AuthorizationResult(ResponseCode.APPROVED, "", accountId == null ? null : ledger.balance(accountId),
                booked);
    }

    /**
     * Whether a reversal whose original never arrived is remembered, so that the original is
     * declined if it comes after all (the default), or acknowledged and forgotten, as many issuer
     * hosts do: an original that then arrives is approved, and only another reversal undoes it.
     */
    public void rememberReversalsOfUnseenOriginals(boolean remember) {
        rememberReversalsOfUnseenOriginals = remember;
    }

    /** Balances and entries at one instant; thread-safe. */
    public LedgerSnapshot snapshot() {
        lock.lock();
        try {
            return new LedgerSnapshot(ledger.balances(), ledger.entries());
        } finally {
            lock.unlock();
        }
    }

    /** One account's balances now; thread-safe. */
    public AccountBalance balance(String accountId) {
        lock.lock();
        try {
            return ledger.balance(accountId);
        } finally {
            lock.unlock();
        }
    }

    /** The ledger's own audit (empty when money was conserved); thread-safe. */
    public List<String> conservationViolations() {
        lock.lock();
        try {
            return ledger.conservationViolations();
        } finally {
            lock.unlock();
        }
    }
}
