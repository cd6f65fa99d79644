package io.isoswitch.cli.chaos;

import io.isoswitch.security.KeyAlgorithm;
import io.isoswitch.security.KeyKind;
import io.isoswitch.security.LocalMasterKey;
import io.isoswitch.security.SecureKey;
import io.isoswitch.security.SoftwareHsm;
import io.isoswitch.sim.card.IssuedCard;
import io.isoswitch.sim.terminal.CardData;
import io.isoswitch.sim.terminal.PosTerminal;
import io.isoswitch.sim.terminal.TerminalConfig;
import io.isoswitch.sim.terminal.TerminalResult;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * One POS terminal of a chaos run, on its own thread: mixed purchases, balance inquiries, its own
 * reversals of earlier approvals, refunds against them, pre-authorizations with their completion
 * (or void) and repeats of its last request, for as long as the run lasts;
 * after a broken connection it redials whichever port {@code port} names (waiting while the
 * switch restarts), sends its pending reversals again and signs on again. What it was told goes
 * into the {@link Tally}:
 *
 * <ul>
 *   <li>a purchase answered 00 (MAC verified) is expected debited, unless this terminal reverses it later;
 *   <li>a purchase declined, answered 91, or never answered is expected not debited: for one never
 *       answered the terminal sends a reversal, repeated until the switch answers it, and a
 *       terminal that cannot get it acknowledged keeps trying, so the run cannot end with it unsaid;
 *   <li>a UnionPay refund is never reversed: one never answered is sent again until answered, and
 *       the account is expected credited if that answer is 00;
 *   <li>a repeat of an answered request must get the same response code as the first answer.
 * </ul>
 */
final class ChaosTerminal implements Runnable {
    private record Approval(TerminalResult result, String accountId) {
    }

    /** The prefix of the tally's counts of requests sent and answered while the database was cut off. */
    static final String WITHIN_OUTAGE = "within a database outage: ";

    /** The switch's answer to a repeat whose original is still at the issuer. */
    private static final String DUPLICATE_IN_FLIGHT = "94";

    private final PosTerminal pos;
    private final List<ChaosWorld.Bank> banks;
    private final IntSupplier port;
    private final BooleanSupplier running;
    private final long hardDeadlineNanos;
    private final Tally tally;
    private final SplittableRandom random;
    private final List<Approval> approvals = new ArrayList<>();
    private TerminalResult last;
    private String lastAccount;
    /** The account of {@link #last}; null for an inquiry, which moves nothing. */
    private String lastResultAccount;
    private boolean lastReversed;
    private boolean fresh = true;
    private final int hopEvery;
    private int steps;
    private boolean repeatNext;

    /**
     * Starts the first {@code count} terminals of {@code world} against one switch process, each on
     * its own virtual thread (named terminal-i), never hopping between connections.
     */
    static List<Thread> startAgainst(SwitchProcess node, ChaosWorld world, int count, BooleanSupplier running,
                                     long hardDeadlineNanos, Tally tally, SplittableRandom random) {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ChaosWorld.ChaosTerminalKeys keys = world.terminals().get(i);
            ChaosTerminal terminal = new ChaosTerminal(keys, world.banks(), () -> node.awaitPort(keys.listener()),
                    running, hardDeadlineNanos, tally, random.nextLong(), 0);
            threads.add(Thread.ofVirtual().name("terminal-" + i).start(terminal));
        }
        return threads;
    }

    ChaosTerminal(ChaosWorld.ChaosTerminalKeys keys, List<ChaosWorld.Bank> banks, IntSupplier port, BooleanSupplier running,
                  long hardDeadlineNanos, Tally tally, long seed, int hopEvery) {
        SoftwareHsm hsm = new SoftwareHsm(LocalMasterKey.generate(new SecureRandom()));
        SecureKey tmk = hsm.formKey(KeyKind.TMK, KeyAlgorithm.TDES_2KEY, List.of(HexFormat.of().parseHex(keys.clearTmkHex())));
        this.pos = dialFirst(() -> new TerminalConfig("127.0.0.1", port.getAsInt(), keys.dialect(), keys.id(),
                ChaosWorld.MERCHANT_ID, ChaosWorld.CNY, hsm, tmk, Duration.ofSeconds(4), 2, java.time.Clock.systemUTC()),
                hardDeadlineNanos);
        this.banks = banks;
        this.port = port;
        this.running = running;
        this.hardDeadlineNanos = hardDeadlineNanos;
        this.tally = tally;
        this.random = new SplittableRandom(seed);
        this.hopEvery = hopEvery;
    }

    /**
     * The first connection, dialled again until the deadline as a terminal redials: on a starved
     * machine a connect can miss its 4 s while the nodes start, and that says nothing of the switch.
     */
    private static PosTerminal dialFirst(java.util.function.Supplier<TerminalConfig> config, long hardDeadlineNanos) {
        while (true) {
            try {
                return PosTerminal.connect(config.get());
            } catch (java.io.UncheckedIOException e) {
                if (System.nanoTime() > hardDeadlineNanos) {
                    throw e;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L); // a terminal's redial pause
            }
        }
    }

    @Override
    public void run() {
        try {
            while (running.getAsBoolean()) {
                if (ready()) {
                    step();
                }
            }
            // the run is over: every reversal still owed is delivered before the terminal stops
            while (!ready()) {
                if (System.nanoTime() > hardDeadlineNanos) {
                    tally.problem(pos.config().terminalId() + " could not deliver " + pos.pendingReversals() + " reversal(s)");
                    return;
                }
            }
        } catch (RuntimeException e) {
            tally.problem(pos.config().terminalId() + " failed: " + e);
        } finally {
            pos.close();
        }
    }

    /**
     * Connected, signed on (again after every new connection: the switch keeps sessions in memory,
     * and a restarted or other node knows none), no reversal pending; false, after one try, when
     * not yet.
     */
    private boolean ready() {
        try {
            if (!pos.connected()) {
                pos.reconnect(port.getAsInt());
                tally.count("terminal reconnections");
                fresh = true;
            }
            if (fresh || !pos.signedOn()) {
                TerminalResult signOn = pos.signOn();
                tally.count("sign-ons");
                if (!pos.signedOn() || !"00".equals(signOn.responseCode()) || !pos.connected()) {
                    return false;
                }
                fresh = false;
            }
            if (pos.pendingReversals() > 0) {
                int before = pos.pendingReversals();
                int left = pos.retryPendingReversals();
                if (left < before) {
                    tally.count("reversals of unanswered requests delivered late");
                }
                return left == 0;
            }
            return true;
        } catch (RuntimeException e) {
            // connection refused while the switch restarts: the next try waits for its new port
            tally.count("terminal connect failures");
            return false;
        }
    }

    private void step() {
        if (repeatNext) {
            repeatNext = false;
            if (repeat()) {
                tally.count("repeats answered by another node");
            }
            return;
        }
        if (hopEvery > 0 && ++steps % hopEvery == 0) {
            // the terminal redials and the load balancer gives it the next node; its next request repeats its last
            try {
                pos.reconnect(port.getAsInt());
            } catch (RuntimeException e) {
                tally.count("terminal connect failures");
            }
            tally.count("terminal moves to another node");
            fresh = true;
            repeatNext = true;
            return;
        }
        int pick = random.nextInt(100);
        if (pick < 48) {
            purchase();
        } else if (pick < 60) {
            long outage = tally.outageMark();
            TerminalResult result = pos.balanceInquiry(card().data());
            tally.count("balance inquiries");
            countWithinOutage("balance inquiries", outage, result);
            lastAccount = null;
            remember(result);
        } else if (pick < 70 && !approvals.isEmpty()) {
            reverseAnApproval();
        } else if (pick < 74 && !approvals.isEmpty()) {
            refundPartOfAnApproval();
        } else if (pick < 77 && !approvals.isEmpty()) {
            voidAnApproval();
        } else if (pick < 85) {
            preAuthorizeAndComplete();
        } else {
            repeat();
        }
    }

    /**
     * A refund against an approved purchase of this terminal, of part of it. Answered 00: the
     * account is credited. Unanswered: an ISO terminal reverses the refund, so it moves nothing; a
     * UnionPay terminal never reverses one and sends it again until answered, and books that
     * answer. The purchase is not reversed after that (a terminal reverses at once or never).
     */
    private void refundPartOfAnApproval() {
        Approval approval = approvals.remove(random.nextInt(approvals.size()));
        long amount = 1 + random.nextLong(approval.result().amountMinor());
        TerminalResult refund = pos.refundOf(approval.result(), amount);
        log(approval.accountId(), refund);
        tally.count("refunds");
        if (pos.config().dialect().isCup() && (refund.outcome() != TerminalResult.Outcome.ANSWERED
                || DUPLICATE_IN_FLIGHT.equals(refund.responseCode()))) {
            // a UnionPay refund is never reversed: the switch may have approved it and the issuer
            // credited it while its answer was lost (the node killed between the two), so it is sent
            // again until answered, and that answer says whether the card was credited
            refund = refundOutcome(refund);
            log(approval.accountId(), refund);
            tally.count("refunds (UnionPay) unanswered, sent again until answered");
        }
        if (refund.approved()) {
            tally.expect(approval.accountId(), -amount);
            tally.count("refunds approved");
        } else if (refund.outcome() != TerminalResult.Outcome.ANSWERED) {
            tally.count("refunds unknown to the terminal (reversed by it)");
        }
        remember(refund);
    }

    /**
     * The answer to a UnionPay refund sent again (unchanged, same STAN) until the switch answers it
     * with anything but 94 (the first is still at the issuer): from the journal if the first
     * reached it, else as a new request.
     */
    private TerminalResult refundOutcome(TerminalResult unanswered) {
        while (System.nanoTime() < hardDeadlineNanos) {
            if (!ready()) {
                continue;
            }
            Optional<TerminalResult> again = pos.repeatLast();
            if (again.isPresent() && again.get().outcome() == TerminalResult.Outcome.ANSWERED
                    && !DUPLICATE_IN_FLIGHT.equals(again.get().responseCode())) {
                return again.get();
            }
        }
        tally.problem(pos.config().terminalId() + " could not learn the outcome of refund stan " + unanswered.stan());
        return unanswered;
    }

    /**
     * A void of an approved purchase. Answered 00: the account is credited back. Unanswered: the
     * terminal reverses its void, so for it the sale stands; the switch cancels the void if its
     * reversal of the sale had not left for the issuer, and otherwise records the difference
     * ({@code void_reversal_exception}), which the money check then reads for this void.
     */
    private void voidAnApproval() {
        Approval approval = approvals.remove(random.nextInt(approvals.size()));
        TerminalResult voided = pos.voidOf(approval.result());
        log(approval.accountId(), voided);
        tally.count("purchase voids");
        if (voided.approved()) {
            tally.expect(approval.accountId(), -approval.result().amountMinor());
            tally.count("purchase voids approved");
        } else if (voided.outcome() != TerminalResult.Outcome.ANSWERED) {
            tally.voidReversedByTerminal(pos.config().terminalId(), voided.stan(), approval.accountId(),
                    approval.result().amountMinor());
            tally.count("purchase voids unknown to the terminal (reversed by it)");
        }
        remember(voided);
    }

    /**
     * A pre-authorization, then at once its completion for at most the amount held; when the
     * completion is not approved (declined, or unanswered and reversed by the terminal), the
     * pre-authorization is voided, as often as it takes to get an answer, so that no hold is left.
     */
    private void preAuthorizeAndComplete() {
        Card card = card();
        long held = 100 + random.nextInt(30_000);
        TerminalResult preAuth = pos.preAuth(card.data(), held);
        log(card.accountId(), preAuth);
        tally.count("pre-authorizations");
        remember(preAuth);
        if (!preAuth.approved()) {
            return;
        }
        long amount = 1 + random.nextLong(held);
        TerminalResult completion = pos.completion(preAuth, amount);
        log(card.accountId(), completion);
        tally.count("completions");
        remember(completion);
        if (completion.approved()) {
            tally.expect(card.accountId(), amount);
            tally.count("completions approved");
            return;
        }
        while (System.nanoTime() < hardDeadlineNanos) {
            if (!ready()) {
                continue;
            }
            TerminalResult voided = pos.preAuthVoid(preAuth);
            log(card.accountId(), voided);
            tally.count("pre-authorization voids");
            remember(voided);
            // 00, or 94: voided already by an attempt whose answer was lost; or 12: the pre-authorization
            // no longer stands (an earlier void reached the issuer before the terminal's reversal of it,
            // or a completion the terminal gave up on still counts). Whether a hold was left for
            // good is what MoneyChecks' held-amount check says, with this account's events.
            if (voided.outcome() == TerminalResult.Outcome.ANSWERED && TRY_AGAIN.contains(voided.responseCode())) {
                // the switch could not record or reach anything (its database or the issuer away): again
                tally.count("pre-authorization voids answered " + voided.responseCode() + ", sent again");
                java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L); // a terminal's pause before it tries again
                continue;
            }
            if (voided.outcome() == TerminalResult.Outcome.ANSWERED) {
                if ("12".equals(voided.responseCode())) {
                    tally.count("pre-authorization voids answered 12 (left to the held-amount check)");
                    if ("96".equals(completion.responseCode())) {
                        // the switch keeps the hold of a pre-authorization whose completion it answered 96
                        // when that completion's share is never given back (known, docs/end-to-end-tests.md)
                        tally.voidRefusedAfterCompletion96(card.accountId(), held);
                    }
                } else if (!voided.approved() && !"94".equals(voided.responseCode())) {
                    tally.problem(pos.config().terminalId() + " pre-authorization void answered " + voided.responseCode());
                }
                return;
            }
        }
        tally.problem(pos.config().terminalId() + " could not void pre-authorization stan " + preAuth.stan());
    }

    private record Card(CardData data, String accountId) {
    }

    private Card card() {
        ChaosWorld.Bank bank = banks.get(random.nextInt(banks.size()));
        IssuedCard issued = bank.cards().get(random.nextInt(bank.cards().size()));
        CardData data = CardData.of(issued);
        if (random.nextInt(40) == 0) {
            data = data.withPin(issued.pin().equals("0000") ? "1111" : "0000");
        }
        return new Card(data, issued.account().accountId());
    }

    private void purchase() {
        Card card = card();
        long amount = 100 + random.nextInt(50_000);
        long outage = tally.outageMark();
        TerminalResult result = pos.purchase(card.data(), amount);
        log(card.accountId(), result);
        tally.count("purchases");
        countWithinOutage("purchases", outage, result);
        switch (result.outcome()) {
            case ANSWERED -> {
                tally.count("purchases answered " + result.responseCode());
                if (result.approved()) {
                    tally.expect(card.accountId(), amount);
                    approvals.add(new Approval(result, card.accountId()));
                }
            }
            case TIMED_OUT_REVERSED, TIMED_OUT_REVERSAL_PENDING, CONNECTION_LOST, NO_ANSWER ->
                    tally.count("purchases unknown to the terminal (reversed by it)");
            case MAC_FAILED -> tally.count("purchases with a bad answer MAC (reversed by it)");
            case KEYS_REJECTED -> tally.problem("keys rejected on a purchase");
        }
        remember(result);
    }

    /**
     * Counts, under {@link #WITHIN_OUTAGE}, what a request sent and answered within one database
     * outage got: its response code, or how it went unanswered.
     */
    private void countWithinOutage(String what, long outageMarkBefore, TerminalResult result) {
        if (tally.whollyWithinOneOutage(outageMarkBefore)) {
            tally.count(WITHIN_OUTAGE + what + (result.outcome() == TerminalResult.Outcome.ANSWERED
                    ? " answered " + result.responseCode() : " " + result.outcome()));
        }
    }

    private void reverseAnApproval() {
        Approval approval = approvals.remove(random.nextInt(approvals.size()));
        TerminalResult reversal = pos.reverse(approval.result());
        log(approval.accountId(), reversal);
        // acknowledged now or pending (sent again until acknowledged): either way it must not stay debited
        tally.expect(approval.accountId(), -approval.result().amountMinor());
        tally.count("terminal reversals of approvals");
        if (reversal.outcome() != TerminalResult.Outcome.ANSWERED) {
            tally.count("terminal reversals of approvals left pending");
        }
        if (last != null && last.stan() == approval.result().stan()) {
            lastReversed = true;
        }
    }

    /**
     * Repeats the last request if its answer is known; true when the repeat was answered.
     *
     * <p>A first answer 96 or 91 says the switch could not record or reach anything: a repeat of it
     * may be taken as new (its first attempt was never recorded) and approved, and the terminal then
     * holds that approval ({@code docs/journal.md}: what the terminal last heard is what the card
     * keeps). Only purchases, refunds and inquiries are repeated after such an answer; the others
     * (a pre-authorization approved so would leave a hold nobody voids) are not.
     */
    private boolean repeat() {
        if (last == null || lastReversed || last.outcome() != TerminalResult.Outcome.ANSWERED) {
            return false;
        }
        boolean tryAgainCode = TRY_AGAIN.contains(last.responseCode());
        if (tryAgainCode && !REPEATED_AFTER_TRY_AGAIN.contains(last.operation())) {
            return false;
        }
        Optional<TerminalResult> again = pos.repeatLast();
        if (again.isEmpty() || again.get().outcome() != TerminalResult.Outcome.ANSWERED) {
            tally.count("repeats unanswered");
            return false;
        }
        tally.count("repeats answered");
        if (lastResultAccount != null) {
            tally.event(lastResultAccount, pos.config().terminalId() + " repeat " + again.get().describe());
        }
        String code = again.get().responseCode();
        if (code.equals(last.responseCode())) {
            return true;
        }
        if (tryAgainCode && DUPLICATE_IN_FLIGHT.equals(code)) {
            // its first attempt is still at the issuer (its outcome could not be written): not an answer
            tally.count("repeats of a 96/91 answered 94 (first attempt still unresolved)");
        } else if (tryAgainCode) {
            // the switch took the repeat as a new request (or told it an approval stands): the terminal
            // holds this answer now
            tally.count("repeats of a 96/91 answered " + code);
            if (again.get().approved() && lastResultAccount != null) {
                switch (last.operation()) {
                    // not among the approvals this terminal reverses or voids: its batch keeps the first answer
                    case PURCHASE -> tally.expect(lastResultAccount, last.amountMinor());
                    case REFUND -> tally.expect(lastResultAccount, -last.amountMinor());
                    default -> {
                        // an inquiry moves nothing
                    }
                }
            }
            last = again.get();
        } else if ("00".equals(last.responseCode()) && TRY_AGAIN.contains(code)) {
            // The journal could not be read or written for the repeat: it is answered 96 (91) and the
            // approval stands. A terminal that repeats only what it got no answer for would hold a
            // refusal for a debited card; counted and reported (docs/end-to-end-tests.md), not
            // booked: the first answer is what this terminal keeps.
            tally.count("repeats of approvals answered " + code + " (approval stands)");
        } else if (!last.approved() && TRY_AGAIN.contains(code)) {
            // the same for a refusal (55, 51...): the journal could not be read for the repeat, and both
            // answers refuse; nothing moved, and the terminal keeps the first
            tally.count("repeats of refusals answered " + code + " (refusal stands)");
        } else {
            tally.problem(pos.config().terminalId() + " stan " + last.stan() + ": first answered " + last.responseCode()
                    + ", its repeat " + code);
        }
        return true;
    }

    /** Codes that tell a terminal its request was not done and may be tried again. */
    private static final java.util.Set<String> TRY_AGAIN = java.util.Set.of("96", "91");
    private static final java.util.Set<io.isoswitch.sim.terminal.TerminalOperation> REPEATED_AFTER_TRY_AGAIN = java.util.EnumSet.of(
            io.isoswitch.sim.terminal.TerminalOperation.PURCHASE, io.isoswitch.sim.terminal.TerminalOperation.REFUND,
            io.isoswitch.sim.terminal.TerminalOperation.BALANCE_INQUIRY);

    private void log(String accountId, TerminalResult result) {
        lastAccount = accountId;
        tally.event(accountId, pos.config().terminalId() + " " + result.describe());
    }

    private void remember(TerminalResult result) {
        last = result;
        // the account of the request just logged (a reversal logs without remembering: it must not move this)
        lastResultAccount = lastAccount;
        lastReversed = false;
    }
}
