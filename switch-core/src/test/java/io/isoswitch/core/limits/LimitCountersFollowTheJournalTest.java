package io.isoswitch.core.limits;

import static io.isoswitch.core.testing.TerminalRequests.reversalOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.testing.FailingWrites;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import io.isoswitch.sim.fault.FaultPlan;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A law of the limits: whatever a day's transactions went through (purchases approved or declined
 * by the issuer or by the limits, their repeats, reversals and their repeats, voids, refunds,
 * reversals of voids and refunds, issuer answers lost, late, damaged or sent twice, the database out
 * for a request from its outcome write on, its shares' give-back included), every daily counter
 * (card, terminal, merchant; count and amount) equals what the journal says stands: the approved
 * records of its card, terminal or merchant, type, date and currency. And each counter holds
 * exactly the shares recorded under it ({@code limit_contribution}), so every path that gives one
 * back gives it back once.
 *
 * <p>Random sequences from fixed seeds through the whole switch (real listeners, the issuer
 * simulator, the journal on H2 and on PostgreSQL); a failure names the seed and the steps.
 */
class LimitCountersFollowTheJournalTest {
    private static final int STEPS = 70;
    /** Types that never count (they undo another transaction). */
    private static final Set<String> UNDOING = Set.of("REVERSAL", "PURCHASE_VOID", "PREAUTH_VOID", "PREAUTH_COMPLETION_VOID");

    @TempDir
    Path dir;

    static Stream<Arguments> runs() {
        return Stream.of(Arguments.of("h2", 1L), Arguments.of("h2", 2L), Arguments.of("h2", 3L), Arguments.of("postgres", 4L));
    }

    private record Sent(TerminalSide terminal, IssuedCard card, IsoMessage message, String stan, long amount, String code,
                        String rrn, boolean purchase) {
    }

    @ParameterizedTest(name = "{0}, seed {1}")
    @MethodSource("runs")
    void everyDailyCounterEqualsWhatTheJournalSaysStands(String database, long seed) throws Exception {
        JournalBackend backend = database.equals("h2") ? JournalBackend.h2() : JournalBackend.postgres(LimitCountersFollowTheJournalTest.class);
        // small enough that the limits refuse some: a card's 5 a day up to 40,000, a terminal's 20
        LimitSet limits = new LimitSet(Map.of("*", new LimitRule(20_000, 40_000, 5)), Map.of("*", new LimitRule(0, 0, 20)),
                Map.of("*", new LimitRule(0, 200_000, 0)));
        try (SwitchFixture fixture = SwitchFixture.start(SwitchFixture.Options.of(backend, dir).withTerminalsPerDialect(2).withCards(3)
                .withIssuerTimeoutMs(400).withLimits(new LimitsConfig(Map.of(LimitsConfig.DEFAULT_CATEGORY, limits), null)))) {
            FailingWrites failing = FailingWrites.install(backend);
            Random random = new Random(seed);
            List<String> steps = new ArrayList<>();
            List<TerminalSide> terminals = List.of(fixture.signedOn(TerminalDialect.ISO87_BINARY, 1),
                    fixture.signedOn(TerminalDialect.ISO87_BINARY, 2));
            List<Sent> sent = new ArrayList<>();
            int stan = 100;
            try {
                for (int step = 0; step < STEPS; step++) {
                    int dice = random.nextInt(100);
                    if (dice < 8) {
                        FaultPlan plan = switch (random.nextInt(5)) {
                            case 0 -> FaultPlan.none();
                            case 1 -> FaultPlan.none().withNoAnswerShare(0.4);
                            case 2 -> FaultPlan.none().withLateAnswers(0.4, Duration.ofMillis(700));
                            case 3 -> FaultPlan.none().withDamagedShare(0.3);
                            default -> FaultPlan.none().withDuplicateAnswerShare(0.5);
                        };
                        fixture.issuer().faults(plan);
                        steps.add("faults " + plan);
                        continue;
                    }
                    TerminalSide terminal = terminals.get(random.nextInt(terminals.size()));
                    List<Sent> mine = sent.stream().filter(s -> s.terminal() == terminal).toList();
                    List<Sent> approvedPurchases = mine.stream().filter(s -> s.purchase() && "00".equals(s.code())).toList();
                    String next = String.format(Locale.ROOT, "%06d", ++stan);
                    IsoMessage request;
                    IssuedCard card;
                    long amount;
                    String rrn = null;
                    boolean purchase = false;
                    String what;
                    if (dice < 50 || mine.isEmpty()) {
                        card = fixture.issuer().card(random.nextInt(3));
                        amount = 1_000 + random.nextInt(20) * 1_000L;
                        boolean rightPin = random.nextInt(10) > 0;
                        String pin = rightPin ? card.pin() : (card.pin().equals("0000") ? "1111" : "0000");
                        request = terminal.requests().purchase(SwitchFixture.read(card), terminal.pinBlock(pin, card.account().pan()),
                                next, amount);
                        purchase = true;
                        boolean writeFails = random.nextInt(8) == 0;
                        if (writeFails) {
                            failing.fail(terminal.terminalId(), next);
                        }
                        what = "purchase " + amount + (rightPin ? "" : " wrong PIN") + (writeFails ? ", the database out from its outcome" : "");
                    } else if (dice < 62) {
                        Sent again = mine.get(random.nextInt(mine.size()));
                        String code = terminal.send(again.message()).getString(39);
                        steps.add(terminal.terminalId() + " repeat of " + again.stan() + " -> " + code);
                        continue;
                    } else if (dice < 76) {
                        Sent original = mine.get(random.nextInt(mine.size()));
                        card = original.card();
                        amount = original.amount();
                        request = reversalOf(original.message(), next);
                        what = "reversal of " + original.stan();
                    } else if (dice < 88 && !approvedPurchases.isEmpty()) {
                        Sent original = approvedPurchases.get(random.nextInt(approvedPurchases.size()));
                        card = original.card();
                        amount = original.amount();
                        request = terminal.requests().purchaseVoid(SwitchFixture.read(card), next, amount, original.rrn(), original.stan());
                        what = "void of " + original.stan();
                    } else if (!approvedPurchases.isEmpty()) {
                        Sent original = approvedPurchases.get(random.nextInt(approvedPurchases.size()));
                        card = original.card();
                        amount = 1 + random.nextLong(original.amount());
                        request = terminal.requests().refund(SwitchFixture.read(card), next, amount, original.rrn());
                        what = "refund " + amount + " of " + original.stan();
                    } else {
                        continue;
                    }
                    IsoMessage answer = terminal.send(request);
                    String code = answer.getString(39);
                    if (answer.has(37)) {
                        rrn = answer.getString(37).trim();
                    }
                    sent.add(new Sent(terminal, card, request, next, amount, code, rrn, purchase));
                    steps.add(terminal.terminalId() + " " + next + " " + what + " -> " + code);
                }
                fixture.issuer().faults(FaultPlan.none());
                failing.recover();
                steps.add("the database back");
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(countSent(backend)).isZero());
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    assertThat(counters(backend)).as("the daily counters, as the journal's standing approvals count them\n%s",
                            String.join("\n", steps)).isEqualTo(standing(backend));
                    assertThat(contributions(backend)).as("the shares each counter holds\n%s", String.join("\n", steps))
                            .isEqualTo(counters(backend));
                });
            } finally {
                for (TerminalSide t : terminals) {
                    t.close();
                }
            }
        } finally {
            backend.close();
        }
    }

    private static long countSent(JournalBackend backend) throws SQLException {
        try (Connection c = backend.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT COUNT(*) FROM journal WHERE state = 'SENT'")) {
            r.next();
            return r.getLong(1);
        }
    }

    /** Count and amount per daily counter (kind|value|date|type|currency), as the journal's standing approvals add up. */
    private static Map<String, String> standing(JournalBackend backend) throws SQLException {
        Map<String, long[]> sums = new TreeMap<>();
        try (Connection c = backend.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT pan_token, terminal_id, merchant_id, business_date, transaction_type, currency,"
                     + " amount_minor FROM journal WHERE state IN ('APPROVED', 'STAND_IN_APPROVED')")) {
            while (r.next()) {
                String type = r.getString(5);
                if (UNDOING.contains(type)) {
                    continue;
                }
                String tail = "|" + r.getObject(4, java.time.LocalDate.class) + "|" + type + "|" + r.getString(6);
                long amount = r.getLong(7);
                for (String key : List.of("CARD|" + HexFormat.of().formatHex(r.getBytes(1)), "TERMINAL|" + r.getString(2),
                        "MERCHANT|" + r.getString(3))) {
                    long[] sum = sums.computeIfAbsent(key + tail, k -> new long[2]);
                    sum[0]++;
                    sum[1] += amount;
                }
            }
        }
        Map<String, String> out = new TreeMap<>();
        sums.forEach((key, sum) -> out.put(key, sum[0] + " / " + sum[1]));
        return out;
    }

    /** The daily counters (card, terminal, merchant; not the stand-in allowances), those at zero left out. */
    private static Map<String, String> counters(JournalBackend backend) throws SQLException {
        return read(backend, "SELECT key_kind, key_value, business_date, transaction_type, currency, txn_count, amount_minor"
                + " FROM limit_counter WHERE key_kind IN ('CARD', 'TERMINAL', 'MERCHANT') AND transaction_type <> 'STAND_IN'");
    }

    /** The same, as the shares recorded under each counter add up. */
    private static Map<String, String> contributions(JournalBackend backend) throws SQLException {
        return read(backend, "SELECT key_kind, key_value, business_date, transaction_type, currency, COUNT(*), SUM(amount_minor)"
                + " FROM limit_contribution WHERE key_kind IN ('CARD', 'TERMINAL', 'MERCHANT') AND transaction_type <> 'STAND_IN'"
                + " GROUP BY key_kind, key_value, business_date, transaction_type, currency");
    }

    private static Map<String, String> read(JournalBackend backend, String sql) throws SQLException {
        Map<String, String> out = new TreeMap<>();
        try (Connection c = backend.connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                if (r.getLong(6) == 0 && r.getLong(7) == 0) {
                    continue;
                }
                String value = r.getString(2);
                String key = r.getString(1) + "|" + (r.getString(1).equals("CARD") ? value.toLowerCase(Locale.ROOT) : value) + "|"
                        + r.getObject(3, java.time.LocalDate.class) + "|" + r.getString(4) + "|" + r.getString(5);
                out.put(key, r.getLong(6) + " / " + r.getLong(7));
            }
        }
        return out;
    }
}
