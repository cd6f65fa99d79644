package io.isoswitch.sim.ledger;

import io.isoswitch.sim.card.CardAccount;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The issuer's book of accounts: running balances plus the append-only list of entries that
 * explains them. It checks nothing about cards or funds (the authorization rules do that) but
 * guarantees its own law: every balance equals its opening balance plus its entries, holds never go
 * below zero, and no entry is reversed twice.
 *
 * <p>Not thread-safe: it is confined to its owner's lock (see {@code IssuerBank}), which makes
 * the entry sequence a total order that audits and tests can replay.
 */
public final class Ledger {
    private final Clock clock;
    private final Map<String, Account> accounts = new LinkedHashMap<>();
    private final List<LedgerEntry> entries = new ArrayList<>();
    private final Map<Long, Long> holdRemaining = new HashMap<>();
    private final Set<Long> reversed = new HashSet<>();

    private static final class Account {
        final String id;
        final int currency;
        final long opening;
        long balance;
        long held;

        Account(String id, int currency, long opening) {
            this.id = id;
            this.currency = currency;
            this.opening = opening;
            this.balance = opening;
        }

        AccountBalance snapshot() {
            return new AccountBalance(id, currency, opening, balance, held);
        }
    }

    /** A ledger with one account per card, at the card's opening balance. */
    public Ledger(Collection<CardAccount> cards, Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        for (CardAccount card : cards) {
            Account previous = accounts.put(card.accountId(),
                    new Account(card.accountId(), card.currency(), card.openingBalanceMinor()));
            if (previous != null) {
                throw new IllegalArgumentException("accountId: '" + card.accountId() + "' appears twice");
            }
        }
    }

    /** The balances of one account. */
    public AccountBalance balance(String accountId) {
        return account(accountId).snapshot();
    }

    /** Money leaves the account. */
    public LedgerEntry debit(String accountId, long amountMinor, RequestReference reference) {
        return book(account(accountId), EntryKind.DEBIT, amountMinor, reference, 0, 0);
    }

    /** Money enters the account. */
    public LedgerEntry credit(String accountId, long amountMinor, RequestReference reference) {
        return book(account(accountId), EntryKind.CREDIT, amountMinor, reference, 0, 0);
    }

    /** Money is reserved; the returned entry's id names the hold. */
    public LedgerEntry hold(String accountId, long amountMinor, RequestReference reference) {
        Account account = account(accountId);
        LedgerEntry entry = book(account, EntryKind.HOLD, amountMinor, reference, 0, 0);
        holdRemaining.put(entry.id(), amountMinor);
        return entry;
    }

    /** What is left of a hold (0 once released or captured, or for an id that is no hold). */
    public long holdRemaining(long holdEntryId) {
        return holdRemaining.getOrDefault(holdEntryId, 0L);
    }

    /**
     * Completes a hold: releases all that is left of it and captures {@code amountMinor}, which
     * may differ from the hold (the rules decide how much may). Returns the release (when anything
     * was left) and the capture.
     */
    public List<LedgerEntry> capture(long holdEntryId, long amountMinor, RequestReference reference) {
        LedgerEntry hold = holdEntry(holdEntryId);
        Account account = account(hold.accountId());
        List<LedgerEntry> booked = new ArrayList<>(2);
        long left = holdRemaining(holdEntryId);
        if (left > 0) {
            booked.add(book(account, EntryKind.RELEASE, left, reference, 0, holdEntryId));
            holdRemaining.put(holdEntryId, 0L);
        }
        booked.add(book(account, EntryKind.CAPTURE, amountMinor, reference, 0, holdEntryId));
        return booked;
    }

    /**
     * Reverses one entry: a debit or capture is credited back, a credit debited back, what is left
     * of a hold released, a completion's release of its hold held again. Returns nothing, and moves
     * nothing, when the entry was reversed before, is itself a reversal, or is a hold with nothing left.
     */
    public Optional<LedgerEntry> reverse(long entryId, RequestReference reference) {
        LedgerEntry original = entry(entryId);
        if (original.isReversal() || reversed.contains(entryId)) {
            return Optional.empty();
        }
        Account account = account(original.accountId());
        LedgerEntry reversal = switch (original.kind()) {
            case DEBIT, CAPTURE -> book(account, EntryKind.CREDIT, original.amountMinor(), reference, entryId, 0);
            case CREDIT -> book(account, EntryKind.DEBIT, original.amountMinor(), reference, entryId, 0);
            case HOLD -> {
                long left = holdRemaining(entryId);
                if (left == 0) {
                    yield null;
                }
                holdRemaining.put(entryId, 0L);
                yield book(account, EntryKind.RELEASE, left, reference, entryId, entryId);
            }
            // a completion's release of its hold: undoing the completion puts the hold back, so that
            // the pre-authorization stands as before and can be completed (or voided) again
            case RELEASE -> {
                if (original.holdEntryId() == 0) {
                    yield null;
                }
                holdRemaining.merge(original.holdEntryId(), original.amountMinor(), Long::sum);
                yield book(account, EntryKind.HOLD, original.amountMinor(), reference, entryId, original.holdEntryId());
            }
        };
        if (reversal == null) {
            return Optional.empty();
        }
        reversed.add(entryId);
        return Optional.of(reversal);
    }

    /**
     * Takes back an entry this ledger booked in an earlier run (read from its log), with what booking it
     * did to balances, holds and reversals, so that a bank restarted on its log stands where it stood.
     * Entries come back in booking order: each must be the next id, on a known account in its currency.
     *
     * @throws IllegalArgumentException when the entry cannot be the next one of this ledger
     */
    public void replay(LedgerEntry entry) {
        if (entry.id() != entries.size() + 1L) {
            throw new IllegalArgumentException("entry " + entry.id() + ": expected entry " + (entries.size() + 1));
        }
        Account account = account(entry.accountId());
        if (entry.currency() != account.currency) {
            throw new IllegalArgumentException("entry " + entry.id() + ": currency " + entry.currency() + ", the account's is "
                    + account.currency);
        }
        if (entry.reversesEntryId() != 0) {
            entry(entry.reversesEntryId());
            reversed.add(entry.reversesEntryId());
        }
        switch (entry.kind()) {
            // a hold of its own, or one put back by undoing a completion's release of it
            case HOLD -> holdRemaining.merge(entry.holdEntryId() == 0 ? entry.id() : holdEntry(entry.holdEntryId()).id(),
                    entry.amountMinor(), Long::sum);
            case RELEASE -> holdRemaining.merge(holdEntry(entry.holdEntryId()).id(), -entry.amountMinor(), Long::sum);
            case DEBIT, CREDIT, CAPTURE -> { }
        }
        account.balance = Math.addExact(account.balance, entry.balanceChange());
        account.held = Math.addExact(account.held, entry.heldChange());
        entries.add(entry);
    }

    /** True once {@code entryId} has been reversed. */
    public boolean isReversed(long entryId) {
        return reversed.contains(entryId);
    }

    /** A copy of every entry, in booking order. */
    public List<LedgerEntry> entries() {
        return List.copyOf(entries);
    }

    /** The balances of every account, in the order the cards were given. */
    public List<AccountBalance> balances() {
        return accounts.values().stream().map(Account::snapshot).toList();
    }

    /**
     * Replays every entry from the opening balances and lists each account whose running balance or
     * amount held disagrees with the replay, or whose holds went negative. Empty means money was
     * conserved.
     */
    public List<String> conservationViolations() {
        Map<String, long[]> replay = new LinkedHashMap<>();
        for (Account account : accounts.values()) {
            replay.put(account.id, new long[] {account.opening, 0});
        }
        for (LedgerEntry entry : entries) {
            long[] sums = replay.get(entry.accountId());
            sums[0] += entry.balanceChange();
            sums[1] += entry.heldChange();
        }
        List<String> violations = new ArrayList<>();
        for (Account account : accounts.values()) {
            long[] sums = replay.get(account.id);
            if (sums[0] != account.balance || sums[1] != account.held || account.held < 0) {
                violations.add("account " + account.id + ": balance " + account.balance + " vs replay " + sums[0]
                        + ", held " + account.held + " vs replay " + sums[1]);
            }
        }
        holdRemaining.forEach((holdId, left) -> {
            if (left < 0 || left > entry(holdId).amountMinor()) {
                violations.add("hold " + holdId + ": remaining " + left + " outside 0.." + entry(holdId).amountMinor());
            }
        });
        return violations;
    }

    private LedgerEntry book(Account account, EntryKind kind, long amountMinor, RequestReference reference,
            long reverses, long hold) {
        LedgerEntry entry = new LedgerEntry(entries.size() + 1L, clock.instant(), account.id, kind, amountMinor,
                account.currency, reference, reverses, hold);
        account.balance = Math.addExact(account.balance, entry.balanceChange());
        account.held = Math.addExact(account.held, entry.heldChange());
        entries.add(entry);
        return entry;
    }

    private Account account(String accountId) {
        Account account = accounts.get(accountId);
        if (account == null) {
            throw new IllegalArgumentException("accountId: no account '" + accountId + "'");
        }
        return account;
    }

    private LedgerEntry entry(long entryId) {
        if (entryId < 1 || entryId > entries.size()) {
            throw new IllegalArgumentException("entryId: expected 1.." + entries.size() + ", found " + entryId);
        }
        return entries.get((int) (entryId - 1));
    }

    private LedgerEntry holdEntry(long holdEntryId) {
        LedgerEntry hold = entry(holdEntryId);
        if (hold.kind() != EntryKind.HOLD) {
            throw new IllegalArgumentException("holdEntryId: entry " + holdEntryId + " is a " + hold.kind()
                    + ", expected HOLD");
        }
        return hold;
    }
}
