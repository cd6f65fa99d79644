package io.isoswitch.sim.issuer;

import static io.isoswitch.sim.issuer.Fixtures.CLOCK;
import static io.isoswitch.sim.issuer.Fixtures.card;
import static io.isoswitch.sim.issuer.Fixtures.completion;
import static io.isoswitch.sim.issuer.Fixtures.preAuth;
import static io.isoswitch.sim.issuer.Fixtures.purchase;
import static io.isoswitch.sim.issuer.Fixtures.refund;
import static io.isoswitch.sim.issuer.Fixtures.reversal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.isoswitch.sim.card.CardAccount;
import io.isoswitch.sim.ledger.AccountBalance;
import io.isoswitch.sim.ledger.LedgerEntry;
import io.isoswitch.testkit.gen.Gens;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The ledger's law, driven through the issuer bank by random mixes of purchases, refunds,
 * pre-authorizations, completions, stand-in advices, voids and reversals (of anything, any number
 * of times) and repeats: every
 * balance equals its opening balance plus its entries and equals what an independent model of the
 * answers says it must be; repeats get the first answer and never move money twice; no entry is
 * reversed twice.
 */
class IssuerLedgerProperties {
    static final List<String> PANS = List.of("4111111111111111", "5555555555554444", "4012888888881881");

    /** One operation: kind 0..7, a card, an amount, and which earlier request it targets. */
    record Op(int kind, int card, long amount, int target) {
    }

    /** A request sent once, with what the model knows of it. */
    static final class Sent {
        final AuthorizationRequest request;
        final String accountId;
        final AuthorizationResult first;
        long holdLeft;
        boolean reversed;
        /** For a completion: the pre-authorization it captured and the hold it released, put back if it is undone. */
        Sent completed;
        long released;

        Sent(AuthorizationRequest request, String accountId, AuthorizationResult first) {
            this.request = request;
            this.accountId = accountId;
            this.first = first;
        }
    }

    /** 50 to 500 operations. */
    private static Gen<List<Op>> ops() {
        Gen<Op> op = integers().between(0, 7).zip(integers().between(0, 2), Gens.longsBetween(1, 5_000),
                integers().between(0, 10_000), Op::new);
        return lists().of(op).ofSizeBetween(50, 500);
    }

    @Test
    void everyBalanceIsOpeningPlusEntriesAndRepeatsNeverMoveMoneyTwice() {
        qt().withExamples(100).forAll(ops()).checkAssert(IssuerLedgerProperties::ledgerLawHolds);
    }

    private static void ledgerLawHolds(List<Op> ops) {
        List<CardAccount> cards = List.of(card("ACC0", PANS.get(0), 10_000), card("ACC1", PANS.get(1), 10_000),
                card("ACC2", PANS.get(2), 10_000));
        IssuerBank bank = new IssuerBank("prop", cards, IssuerPolicy.defaults(), CLOCK);
        Map<String, long[]> model = new HashMap<>(); // account -> {balance, held}
        cards.forEach(c -> model.put(c.accountId(), new long[] {c.openingBalanceMinor(), 0}));
        List<Sent> sent = new ArrayList<>();
        int stan = 0;

        for (Op op : ops) {
            String pan = PANS.get(op.card());
            String accountId = "ACC" + op.card();
            long[] m = model.get(accountId);
            Sent target = sent.isEmpty() ? null : sent.get(op.target() % sent.size());
            switch (op.kind()) {
                case 0, 1, 2 -> { // purchase, refund, pre-auth
                    AuthorizationRequest request = switch (op.kind()) {
                        case 0 -> purchase(++stan, pan, op.amount());
                        case 1 -> refund(++stan, pan, op.amount());
                        default -> preAuth(++stan, pan, op.amount());
                    };
                    boolean fundsSuffice = m[0] - m[1] >= op.amount();
                    AuthorizationResult result = bank.authorize(request);
                    Sent s = new Sent(request, accountId, result);
                    sent.add(s);
                    if (op.kind() == 1) {
                        assertThat(result.approved()).isTrue();
                        m[0] += op.amount();
                    } else {
                        assertThat(result.approved()).isEqualTo(fundsSuffice);
                        if (result.approved() && op.kind() == 0) {
                            m[0] -= op.amount();
                        } else if (result.approved()) {
                            m[1] += op.amount();
                            s.holdLeft = op.amount();
                        }
                    }
                }
                case 3 -> { // completion of some earlier request (a pre-auth, or it must fail)
                    if (target == null) {
                        continue;
                    }
                    long amount = target.request.amountMinor() * (50 + op.amount() % 80) / 100 + 1;
                    String targetPan = target.request.pan();
                    long[] tm = model.get(target.accountId);
                    boolean completable = target.request.messageClass() == MessageClass.AUTHORIZATION
                            && target.first.approved() && target.holdLeft > 0
                            && amount <= IssuerPolicy.defaults().maxCompletionMinor(target.request.amountMinor())
                            // only what goes past the hold needs funds (available may be below zero:
                            // a reversed refund is debited back whatever is left)
                            && (amount <= target.holdLeft || amount - target.holdLeft <= tm[0] - tm[1]);
                    AuthorizationRequest request = completion(++stan, targetPan, amount, target.request.reference().stan());
                    AuthorizationResult result = bank.authorize(request);
                    Sent completion = new Sent(request, target.accountId, result);
                    sent.add(completion);
                    assertThat(result.approved()).isEqualTo(completable);
                    if (completable) {
                        completion.completed = target;
                        completion.released = target.holdLeft;
                        tm[1] -= target.holdLeft;
                        target.holdLeft = 0;
                        tm[0] -= amount;
                    }
                }
                case 4 -> { // reversal of some earlier request
                    if (target == null) {
                        continue;
                    }
                    long[] tm = model.get(target.accountId);
                    AuthorizationRequest request = reversal(++stan, target.request.pan(), target.request.amountMinor(),
                            target.request.messageClass(), target.request.reference().stan());
                    AuthorizationResult result = bank.authorize(request);
                    sent.add(new Sent(request, target.accountId, result));
                    assertThat(result.approved()).isTrue();
                    boolean moves = undoable(target);
                    assertThat(result.entries()).hasSize(moves ? entriesToUndo(target) : 0);
                    if (moves) {
                        target.reversed = true;
                        undo(target, tm);
                    }
                }
                case 6 -> { // a purchase approved in stand-in, advised: posted whatever the funds
                    AuthorizationRequest request = AuthorizationRequest.of(MessageClass.FINANCIAL_ADVICE, "000000", op.amount(),
                            Fixtures.EUR, pan, Fixtures.ref(++stan));
                    AuthorizationResult result = bank.authorize(request);
                    sent.add(new Sent(request, accountId, result));
                    assertThat(result.approved()).isTrue();
                    m[0] -= op.amount();
                }
                case 7 -> { // a void (processing code 02, field 90) of some earlier request
                    if (target == null) {
                        continue;
                    }
                    long[] tm = model.get(target.accountId);
                    MessageClass voidClass = target.request.messageClass() == MessageClass.AUTHORIZATION
                            ? MessageClass.AUTHORIZATION : MessageClass.FINANCIAL;
                    AuthorizationRequest request = AuthorizationRequest.of(voidClass, "020000", target.request.amountMinor(),
                            Fixtures.EUR, target.request.pan(), Fixtures.ref(++stan)).withOriginal(new OriginalData(
                            target.request.messageClass(), Fixtures.ACQUIRER, target.request.reference().stan(), Fixtures.TODAY));
                    AuthorizationResult result = bank.authorize(request);
                    sent.add(new Sent(request, target.accountId, result));
                    boolean moves = undoable(target);
                    assertThat(result.approved()).isEqualTo(moves);
                    assertThat(result.entries()).hasSize(moves ? entriesToUndo(target) : 0);
                    if (moves) {
                        target.reversed = true;
                        undo(target, tm);
                    }
                }
                default -> { // repeat of some earlier request: same answer, nothing booked
                    if (target == null) {
                        continue;
                    }
                    int entriesBefore = bank.snapshot().entries().size();
                    assertThat(bank.authorize(target.request)).isSameAs(target.first);
                    assertThat(bank.snapshot().entries()).hasSize(entriesBefore);
                }
            }
        }

        LedgerSnapshot snapshot = bank.snapshot();
        Map<String, Long> entrySums = snapshot.entries().stream()
                .collect(Collectors.groupingBy(LedgerEntry::accountId, Collectors.summingLong(LedgerEntry::balanceChange)));
        for (AccountBalance b : snapshot.balances()) {
            assertThat(b.balanceMinor()).isEqualTo(b.openingMinor() + entrySums.getOrDefault(b.accountId(), 0L));
            assertThat(b.balanceMinor()).isEqualTo(model.get(b.accountId())[0]);
            assertThat(b.heldMinor()).isEqualTo(model.get(b.accountId())[1]);
        }
        assertThat(snapshot.entries().stream().filter(LedgerEntry::isReversal).map(LedgerEntry::reversesEntryId))
                .doesNotHaveDuplicates();
        assertThat(snapshot.entries().stream().filter(e -> !e.isReversal() && e.kind() != io.isoswitch.sim.ledger.EntryKind.RELEASE)
                .map(LedgerEntry::reference)).doesNotHaveDuplicates();
        assertThat(bank.conservationViolations()).isEmpty();
    }

    /**
     * Whether a reversal or a void of {@code target} moves money: it was approved, is not undone
     * yet, is no reversal or void itself, and a pre-authorization still holds something.
     */
    private static boolean undoable(Sent target) {
        return target.first.approved() && !target.reversed
                && !target.request.messageClass().isReversal() && !target.request.processingCode().startsWith("02")
                && (target.request.messageClass() != MessageClass.AUTHORIZATION || target.holdLeft > 0);
    }

    /** How many entries undoing {@code target} books: two for a completion (its money and its hold), else one. */
    private static int entriesToUndo(Sent target) {
        return target.completed != null ? 2 : 1;
    }

    /** What reversing {@code target} does in the model. */
    private static void undo(Sent target, long[] m) {
        long amount = target.request.amountMinor();
        switch (target.request.messageClass()) {
            case AUTHORIZATION -> {
                m[1] -= target.holdLeft;
                target.holdLeft = 0;
            }
            case FINANCIAL -> m[0] += target.request.processingCode().startsWith("20") ? -amount : amount;
            case FINANCIAL_ADVICE -> {
                m[0] += amount;
                if (target.completed != null) { // a completion undone puts its pre-authorization's hold back
                    m[1] += target.released;
                    target.completed.holdLeft = target.released;
                }
            }
            case REVERSAL, REVERSAL_ADVICE -> throw new IllegalStateException("a reversal is never undone");
        }
    }
}
