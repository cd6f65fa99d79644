package io.isoswitch.settlement.clearing;

import io.isoswitch.settlement.Backend;
import io.isoswitch.settlement.TestDatabase;
import io.isoswitch.settlement.calendar.BusinessCalendar;
import io.isoswitch.settlement.calendar.CutoverResult;
import io.isoswitch.settlement.fees.FeePlan;
import io.isoswitch.settlement.fees.FeePlanRepository;
import io.isoswitch.settlement.journal.CardReference;
import io.isoswitch.settlement.journal.CommitListener;
import io.isoswitch.settlement.journal.IssuerLeg;
import io.isoswitch.settlement.journal.Journal;
import io.isoswitch.settlement.journal.JournalRequest;
import io.isoswitch.settlement.journal.JournalSettings;
import io.isoswitch.settlement.journal.Outcome;
import io.isoswitch.settlement.journal.TransactionState;
import io.isoswitch.settlement.store.Merchant;
import io.isoswitch.settlement.store.MerchantRepository;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fresh journal database with a started business calendar, and a shorthand for the journal rows
 * settlement tests need (sales, refunds, reversals, declines), each resolved as the switch would.
 */
final class SettlementWorld implements AutoCloseable {
    static final String TERMINAL = "TERM0001";
    private final TestDatabase database;
    private final Journal journal;
    private final AtomicInteger stans = new AtomicInteger();
    final BusinessCalendar calendar;
    final MerchantSettlement settlement;
    final SettlementFiles files;

    private SettlementWorld(Backend backend, LocalDate start) {
        this.database = TestDatabase.open(backend);
        this.journal = new Journal(database.database(), JournalSettings.defaults(), CommitListener.NONE, Clock.systemUTC());
        this.calendar = new BusinessCalendar(database.database(), Clock.systemUTC());
        this.settlement = new MerchantSettlement(database.database(), Clock.systemUTC());
        this.files = new SettlementFiles(database.database());
        calendar.currentOrStart(start);
    }

    static SettlementWorld open(Backend backend, LocalDate start) {
        return new SettlementWorld(backend, start);
    }

    TestDatabase database() {
        return database;
    }

    void plans(FeePlan... plans) {
        new FeePlanRepository(database.database(), Clock.systemUTC()).replace(List.of(plans));
    }

    void merchant(String merchantId, String planId) {
        new MerchantRepository(database.database(), Clock.systemUTC()).upsert(new Merchant(merchantId, "Shop " + merchantId, "5411", "156", planId));
    }

    LocalDate cutover() {
        LocalDate current = calendar.current().orElseThrow();
        CutoverResult result = calendar.cutover(current, current.plusDays(1), "test");
        return result.businessDate();
    }

    private JournalRequest request(LocalDate businessDate, String merchantId, String type, String mti, long amount, String pan,
                                   String issuer, UUID original) {
        return request(businessDate, merchantId, type, mti, amount, "156", pan, issuer, original);
    }

    private JournalRequest request(LocalDate businessDate, String merchantId, String type, String mti, long amount, String currency,
                                   String pan, String issuer, UUID original) {
        String stan = String.format("%06d", stans.incrementAndGet());
        byte[] token = new byte[32];
        ThreadLocalRandom.current().nextBytes(token);
        return new JournalRequest("node-1", businessDate, TERMINAL, merchantId, stan, businessDate, mti,
                businessDate.atTime(10, 0).plusSeconds(stans.get() - 1), // the first on a whole minute (10:00:00)
                type, "000000", amount, currency,
                new CardReference(token, pan, null, null),
                new IssuerLeg(issuer, stan, "6330" + String.format("%08d", stans.get()), Instant.parse("2026-11-26T10:15:30Z")),
                original);
    }

    UUID sale(LocalDate businessDate, String merchantId, long amount, String pan, String issuer) {
        return resolved(request(businessDate, merchantId, "PURCHASE", "0200", amount, pan, issuer, null), Outcome.approved("A00001"));
    }

    /** A sale in {@code currency} (ISO 4217 numeric). */
    UUID saleIn(LocalDate businessDate, String merchantId, long amount, String currency, String pan, String issuer) {
        return resolved(request(businessDate, merchantId, "PURCHASE", "0200", amount, currency, pan, issuer, null),
                Outcome.approved("A00001"));
    }

    /** A refund in {@code currency} of {@code original}. */
    UUID refundIn(LocalDate businessDate, String merchantId, long amount, String currency, String pan, String issuer, UUID original) {
        return resolved(request(businessDate, merchantId, "REFUND", "0200", amount, currency, pan, issuer, original),
                Outcome.approved("A00002"));
    }

    UUID declined(LocalDate businessDate, String merchantId, long amount, String pan, String issuer) {
        return resolved(request(businessDate, merchantId, "PURCHASE", "0200", amount, pan, issuer, null), Outcome.declined("51"));
    }

    UUID refund(LocalDate businessDate, String merchantId, long amount, String pan, String issuer, UUID original) {
        return resolved(request(businessDate, merchantId, "REFUND", "0200", amount, pan, issuer, original), Outcome.approved("A00002"));
    }

    /** A terminal reversal of {@code original}, as the switch journals it: its own row, and the original moved on. */
    UUID reversal(LocalDate businessDate, String merchantId, long amount, String pan, UUID original) {
        UUID id = resolved(request(businessDate, merchantId, "REVERSAL", "0400", amount, pan, "none", original).withIssuer(null),
                Outcome.approved(null));
        journal.transition(original, TransactionState.APPROVED, TransactionState.REVERSAL_PENDING, null).join();
        return id;
    }

    /**
     * A same-terminal void of {@code original} ({@code PURCHASE_VOID} or {@code PREAUTH_COMPLETION_VOID}),
     * as the switch journals it: its own row naming the original, and the original moved on to be reversed.
     */
    UUID voidOf(LocalDate businessDate, String merchantId, String type, long amount, String pan, String issuer, UUID original) {
        UUID id = resolved(request(businessDate, merchantId, type, "0200", amount, pan, issuer, original), Outcome.approved("A00004"));
        journal.transition(original, TransactionState.APPROVED, TransactionState.REVERSAL_PENDING, null).join();
        return id;
    }

    /** An approved pre-authorization (a hold: it settles nothing itself). */
    UUID preauth(LocalDate businessDate, String merchantId, long amount, String pan, String issuer) {
        return resolved(request(businessDate, merchantId, "PREAUTH", "0100", amount, pan, issuer, null), Outcome.approved("A00005"));
    }

    /** A completion advice of {@code preauth}, approved. */
    UUID completion(LocalDate businessDate, String merchantId, long amount, String pan, String issuer, UUID preauth) {
        return resolved(request(businessDate, merchantId, "PREAUTH_COMPLETION_ADVICE", "0220", amount, pan, issuer, preauth),
                Outcome.approved("A00005"));
    }

    /** Any resolved row: {@code type} in {@code currency}, naming {@code original} (or null), with {@code outcome}. */
    UUID row(LocalDate businessDate, String merchantId, String type, long amount, String currency, String pan, String issuer,
             UUID original, Outcome outcome) {
        String mti = type.startsWith("PREAUTH") && !type.startsWith("PREAUTH_COMPLETION") ? "0100" : "0200";
        return resolved(request(businessDate, merchantId, type, mti, amount, currency, pan, issuer, original), outcome);
    }

    /** A purchase the issuer never answered: the switch reverses it (the terminal heard 91). */
    UUID timedOut(LocalDate businessDate, String merchantId, long amount, String pan, String issuer) {
        UUID id = sent(businessDate, merchantId, amount, pan, issuer);
        journal.transition(id, TransactionState.SENT, TransactionState.REVERSAL_PENDING, null).join();
        return id;
    }

    /** A request still waiting for its issuer. */
    UUID sent(LocalDate businessDate, String merchantId, long amount, String pan, String issuer) {
        return journal.recordSent(request(businessDate, merchantId, "PURCHASE", "0200", amount, pan, issuer, null)).join().entry().id();
    }

    /** A refund of {@code original} still waiting for its issuer. */
    UUID sentRefund(LocalDate businessDate, String merchantId, long amount, String pan, String issuer, UUID original) {
        return journal.recordSent(request(businessDate, merchantId, "REFUND", "0200", amount, pan, issuer, original)).join().entry().id();
    }

    /**
     * The reversal the switch owes an approval whose terminal heard 96, as {@code UnknownOutcomes}
     * queues it: the record, found in {@code from} (APPROVED or STAND_IN_APPROVED), moved to
     * REVERSAL_PENDING with its reversal queued. The issuer has not acknowledged it yet.
     */
    void switchReverses(UUID approved, TransactionState from, String issuer, long amount) {
        assertApplied(journal.transitionUnlessAnsweredToRepeat(approved, from, TransactionState.REVERSAL_PENDING,
                io.isoswitch.settlement.saf.SafRequest.reversal(issuer, "96", amount, "156")).join());
    }

    /** The issuer acknowledged the reversal of {@code reversed}: REVERSAL_PENDING to REVERSED. */
    void reversalAcknowledged(UUID reversed) {
        assertApplied(journal.transition(reversed, TransactionState.REVERSAL_PENDING, TransactionState.REVERSED, null).join());
    }

    private static void assertApplied(io.isoswitch.settlement.journal.TransitionResult result) {
        if (!result.applied()) {
            throw new AssertionError("transition not applied, the record is " + result.state());
        }
    }

    /** A sale approved in stand-in (its advice not modelled). */
    UUID standInSale(LocalDate businessDate, String merchantId, long amount, String pan, String issuer) {
        return resolved(request(businessDate, merchantId, "PURCHASE", "0200", amount, pan, issuer, null),
                new Outcome(TransactionState.STAND_IN_APPROVED, "00", "S00001", null));
    }

    /** The switch's RRN of journal record {@code id}. */
    String rrnOf(UUID id) throws SQLException {
        try (java.sql.Connection c = database.directConnection();
             java.sql.PreparedStatement s = c.prepareStatement("SELECT switch_rrn FROM journal WHERE id = ?")) {
            s.setObject(1, id);
            try (java.sql.ResultSet r = s.executeQuery()) {
                r.next();
                return r.getString(1);
            }
        }
    }

    void approve(UUID sent) {
        journal.recordOutcome(sent, Outcome.approved("A00003")).join();
    }

    private UUID resolved(JournalRequest request, Outcome outcome) {
        return journal.recordResolved(request, outcome, null).join().entry().id();
    }

    /** The SQL of the journal rows the run of {@code date} settled. */
    String settledRows(LocalDate date) throws SQLException {
        try (java.sql.Connection c = database.directConnection()) {
            return SettlementSql.settledRows(RunScope.load(c, date));
        }
    }

    long queryLong(String sql) throws SQLException {
        return database.queryLong(sql);
    }

    @Override
    public void close() throws SQLException {
        journal.close();
        database.close();
    }
}
