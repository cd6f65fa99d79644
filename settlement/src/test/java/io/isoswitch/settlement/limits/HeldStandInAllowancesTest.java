package io.isoswitch.settlement.limits;

import static io.isoswitch.settlement.Requests.purchase;
import static io.isoswitch.settlement.Requests.stan;
import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.settlement.Backend;
import io.isoswitch.settlement.BothDatabases;
import io.isoswitch.settlement.Requests;
import io.isoswitch.settlement.journal.CommitListener;
import io.isoswitch.settlement.journal.IdempotencyKey;
import io.isoswitch.settlement.journal.Journal;
import io.isoswitch.settlement.journal.JournalEntry;
import io.isoswitch.settlement.journal.JournalRequest;
import io.isoswitch.settlement.journal.Outcome;
import io.isoswitch.settlement.journal.TransactionState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A stand-in allowance is held by the node that took it until its approval is recorded, and only
 * then: the approval's write ends the hold in its own transaction, so the walk of a dead node's
 * held allowances (its next start, a take-over) visits only the requests it had in flight, a batch
 * at a time.
 */
class HeldStandInAllowancesTest extends BothDatabases {
    private static final Outcome IN_STAND_IN = new Outcome(TransactionState.STAND_IN_APPROVED, "00", "S00001", null);

    /**
     * Regression: the hold was never ended when the approval committed; every allowance a node took
     * since its last start stayed held, and its next start walked them all in one transaction.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void anAllowanceIsNoLongerHeldOnceItsApprovalInStandInIsRecorded(Backend backend) throws SQLException {
        LimitCounters counters = counters(backend);
        String node = "n-" + backend.name().toLowerCase(Locale.ROOT);
        String issuer = "held-a-" + backend.name().toLowerCase(Locale.ROOT);
        String terminal = Requests.newTerminalId();
        JournalRequest resolved = purchase(node, terminal, stan(1), 1_000, issuer);
        JournalRequest answered = purchase(node, terminal, stan(2), 2_000, issuer);
        JournalRequest inFlight = purchase(node, terminal, stan(3), 3_000, issuer);
        for (JournalRequest r : List.of(resolved, answered, inFlight)) {
            counters.tryIncrement(List.of(allowanceOf(r)), node).join();
        }
        try (Journal journal = journal(backend, CommitListener.NONE)) {
            // the issuer down before the request was sent, and after (its request journaled SENT first)
            journal.recordResolved(resolved, IN_STAND_IN, null).join();
            JournalEntry sent = journal.recordSent(answered).join().entry();
            assertThat(journal.recordOutcome(sent, IN_STAND_IN, null).join().applied()).isTrue();
            journal.recordSent(inFlight).join();
        }

        assertThat(holderOf(backend, resolved)).as("approved in stand-in when recorded").isNull();
        assertThat(holderOf(backend, answered)).as("approved in stand-in after it was sent").isNull();
        assertThat(holderOf(backend, inFlight)).as("in flight").isEqualTo(node);
        assertThat(counters.current(allowanceOf(resolved).key()).join()).contains(new CounterValue(1, 1_000));
    }

    /**
     * A walk across several batches gives back exactly the allowances of requests the journal holds
     * no stand-in approval of (never written, declined), ends the hold of one found standing, and
     * leaves those in flight held, however they fall across the batches.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void aWalkOfADeadNodesAllowancesInBatchesGivesBackExactlyThoseNotApproved(Backend backend) throws SQLException {
        LimitCounters counters = counters(backend);
        String dead = "dead-" + backend.name().toLowerCase(Locale.ROOT);
        String issuer = "held-b-" + backend.name().toLowerCase(Locale.ROOT);
        String terminal = Requests.newTerminalId();
        List<JournalRequest> inFlight = new ArrayList<>();
        List<JournalRequest> notApproved = new ArrayList<>();
        List<JournalRequest> standing = new ArrayList<>();
        try (Journal journal = journal(backend, CommitListener.NONE)) {
            for (int i = 1; i <= 12; i++) {
                JournalRequest r = purchase(dead, terminal, stan(i), 1_000L * i, issuer);
                counters.tryIncrement(List.of(allowanceOf(r)), dead).join();
                switch (i % 4) {
                    case 0 -> {
                        journal.recordSent(r).join();
                        inFlight.add(r);
                    }
                    case 1 -> notApproved.add(r); // never written
                    case 2 -> {
                        journal.recordResolved(r, Outcome.declined("91"), null).join();
                        notApproved.add(r);
                    }
                    default -> {
                        journal.recordResolved(r, IN_STAND_IN, null).join();
                        // held all the same (taken again by a resend after its record was written)
                        counters.tryIncrement(List.of(allowanceOf(r)), dead).join();
                        standing.add(r);
                    }
                }
            }
        }

        assertThat(counters.giveBackHeldAllowances(dead, 2).join()).isEqualTo(notApproved.size());
        assertThat(counters.giveBackHeldAllowances(dead, 2).join()).as("once").isZero();
        for (JournalRequest r : notApproved) {
            assertThat(counters.current(allowanceOf(r).key()).join()).as("given back").contains(new CounterValue(0, 0));
        }
        for (JournalRequest r : standing) {
            assertThat(counters.current(allowanceOf(r).key()).join()).as("standing").contains(new CounterValue(1, r.amountMinor()));
            assertThat(holderOf(backend, r)).as("standing: no longer held").isNull();
        }
        for (JournalRequest r : inFlight) {
            assertThat(counters.current(allowanceOf(r).key()).join()).as("in flight").contains(new CounterValue(1, r.amountMinor()));
            assertThat(holderOf(backend, r)).as("in flight: still held").isEqualTo(dead);
        }
    }

    /**
     * A dead node's walk gives back two allowances of one card while a give-back of the second
     * request holds its journal row and then takes the card's counter, as {@code giveBackUnlessStanding}
     * does. The walk takes its locks in that same order, one allowance a transaction, so it waits
     * for the give-back and then goes on; deciding the batch in one transaction, it held the counter
     * (given back for the first) while it waited for the second's row: a deadlock, the walk rolled
     * back and, at a node's start, the start failed (a lock-order audit).
     */
    @org.junit.jupiter.api.Test
    void aWalkWaitsForAGiveBackHoldingARecordItVisitsAndNeitherDeadlocks() throws Exception {
        LimitCounters counters = counters(Backend.POSTGRESQL);
        String dead = "dead-lock";
        String terminal = Requests.newTerminalId();
        String card = "ab".repeat(32);
        JournalRequest first = purchase(dead, terminal, stan(1), 1_000, "held-d");
        JournalRequest second = purchase(dead, terminal, stan(2), 2_000, "held-d");
        try (Journal journal = journal(Backend.POSTGRESQL, CommitListener.NONE)) {
            for (JournalRequest r : List.of(first, second)) {
                counters.tryIncrement(List.of(allowanceOf(r, card)), dead).join();
                journal.recordResolved(r, Outcome.declined("91"), null).join();
            }
        }
        try (Connection giveBack = on(Backend.POSTGRESQL).database().dataSource().getConnection()) {
            giveBack.setAutoCommit(false);
            try (PreparedStatement row = giveBack.prepareStatement("SELECT state FROM journal WHERE terminal_id = ? AND stan = ? FOR UPDATE")) {
                row.setString(1, terminal);
                row.setString(2, second.stan());
                row.executeQuery().close();
            }
            java.util.concurrent.CompletableFuture<Integer> walk = counters.giveBackHeldAllowances(dead);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> waitingForALock(Backend.POSTGRESQL));
            try (PreparedStatement counter = giveBack.prepareStatement("UPDATE limit_counter SET updated_at = updated_at"
                    + " WHERE key_kind = 'CARD' AND key_value = ? AND transaction_type = 'STAND_IN'")) {
                counter.setString(1, card);
                assertThat(counter.executeUpdate()).isEqualTo(1);
            }
            giveBack.commit();
            assertThat(walk.get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(2);
        }
        assertThat(counters.current(allowanceOf(first, card).key()).join()).contains(new CounterValue(0, 0));
    }

    private boolean waitingForALock(Backend backend) throws SQLException {
        try (Connection c = on(backend).database().dataSource().getConnection();
             ResultSet r = c.createStatement().executeQuery("SELECT count(*) FROM pg_locks WHERE NOT granted")) {
            r.next();
            return r.getLong(1) > 0;
        }
    }

    /** The stand-in allowance of request {@code r} on the card of token {@code cardToken}. */
    private static CounterIncrement allowanceOf(JournalRequest r, String cardToken) {
        IdempotencyKey k = r.key();
        return LimitCounters.standInAllowance(cardToken, r.businessDate(), r.currency(), r.amountMinor(),
                LimitCounters.contributor(k.terminalId(), k.stan(), k.transactionDate(), k.mtiClass()));
    }

    /** The stand-in allowance of request {@code r}, as the switch takes it. */
    private static CounterIncrement allowanceOf(JournalRequest r) {
        IdempotencyKey k = r.key();
        return LimitCounters.standInAllowance(r.card().panTokenHex(), r.businessDate(), r.currency(), r.amountMinor(),
                LimitCounters.contributor(k.terminalId(), k.stan(), k.transactionDate(), k.mtiClass()));
    }

    /** The node holding request {@code r}'s allowance (null: none). */
    private String holderOf(Backend backend, JournalRequest r) throws SQLException {
        CounterIncrement allowance = allowanceOf(r);
        try (Connection c = on(backend).database().dataSource().getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT node_id FROM limit_contribution WHERE key_kind = 'CARD' AND key_value = ? AND transaction_type = 'STAND_IN'"
                        + " AND contributor = ?")) {
            s.setString(1, allowance.key().value());
            s.setString(2, allowance.contributor());
            try (ResultSet r2 = s.executeQuery()) {
                assertThat(r2.next()).as("the allowance's row").isTrue();
                return r2.getString(1);
            }
        }
    }
}
