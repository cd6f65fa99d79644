package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.testing.IssuerSimulator;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.JournalRows;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import io.isoswitch.sim.ledger.EntryKind;
import io.isoswitch.sim.ledger.LedgerEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal's database connections die under load (PostgreSQL): while four terminals send
 * purchases, a separate JDBC connection terminates the switch's backends again and again for a
 * while. Every purchase gets an answer (none hangs); while the journal is down the answers are 96
 * or 91; the switch recovers by itself; and every purchase answered 00 has its APPROVED journal row
 * and exactly one debit at the issuer, while no debit exists without its journal row (write-ahead).
 * In the end every card is debited exactly what its terminals were told 00, nothing stays SENT:
 * a purchase the issuer approved whose outcome the journal could not write (answered 96) is
 * reversed by the node itself while it runs ({@link NodeWatch}), not left until it restarts.
 */
class JournalKillTest {
    private static final Logger LOG = LoggerFactory.getLogger(JournalKillTest.class);
    private static final int TERMINALS = 4;
    private static final long AMOUNT = 100;
    private static final int BEFORE = 100;
    private static final int DOWN_FAILURES_WANTED = 5;
    private static final int DOWN_MIN = 60;
    private static final int DOWN_MAX = 300;
    private static final int AFTER_CONSECUTIVE_APPROVALS = 40;

    @TempDir
    Path dir;
    private JournalBackend backend;
    private SwitchFixture fixture;
    private final AtomicInteger cardTurn = new AtomicInteger();
    private final ConcurrentLinkedQueue<Sent> sent = new ConcurrentLinkedQueue<>();

    /** One purchase and its answer. */
    private record Sent(String terminalId, String stan, IssuedCard card, IsoMessage answer) {
        String code() {
            return answer.getString(39);
        }
    }

    @BeforeEach
    void start() {
        backend = JournalBackend.postgres(JournalKillTest.class);
        fixture = SwitchFixture.start(SwitchFixture.Options.of(backend, dir).withTerminalsPerDialect(TERMINALS).withCards(20)
                .withIssuerConnections(2));
    }

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
        backend.close();
    }

    /** One terminal's loop: purchases one after another while {@code go} says so. */
    private final class Driver {
        private final TerminalSide terminal;
        private final AtomicInteger stan = new AtomicInteger(1);

        Driver(TerminalSide terminal) {
            this.terminal = terminal;
        }

        Sent purchase() throws IOException {
            IssuedCard card = fixture.issuer().card(Math.floorMod(cardTurn.getAndIncrement(), fixture.issuer().cards().size()));
            String number = String.format(Locale.ROOT, "%06d", stan.incrementAndGet());
            IsoMessage request = terminal.requests().purchase(SwitchFixture.read(card),
                    terminal.pinBlock(card.pin(), card.account().pan()), number, AMOUNT);
            Sent one = new Sent(terminal.terminalId(), number, card, terminal.send(request));
            sent.add(one);
            return one;
        }
    }

    /** Runs every driver in its own thread until {@code done} (checked after each purchase); returns the answers. */
    private List<Sent> drive(List<Driver> drivers, BooleanSupplier done) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(drivers.size());
        try {
            List<Future<List<Sent>>> runs = new ArrayList<>();
            for (Driver driver : drivers) {
                runs.add(pool.submit(() -> {
                    List<Sent> mine = new ArrayList<>();
                    while (!done.getAsBoolean()) {
                        mine.add(driver.purchase());
                    }
                    return mine;
                }));
            }
            List<Sent> all = new ArrayList<>();
            for (Future<List<Sent>> run : runs) {
                // a hang fails here (each answer also has the client's 10 s read timeout)
                all.addAll(run.get(120, TimeUnit.SECONDS));
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void killingTheJournalsConnectionsMidLoadAnswers96Or91ThenRecoversAndLosesNoApproval() throws Exception {
        List<Driver> drivers = new ArrayList<>();
        for (int i = 1; i <= TERMINALS; i++) {
            drivers.add(new Driver(fixture.signedOn(TerminalDialect.ISO87_BINARY, i)));
        }

        AtomicInteger count = new AtomicInteger();
        List<Sent> before = drive(drivers, () -> count.incrementAndGet() > BEFORE);
        assertThat(before).extracting(Sent::code).containsOnly("00");

        List<Sent> down;
        AtomicInteger kills = new AtomicInteger();
        ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor();
        try (Connection own = backend.connect()) {
            killer.scheduleWithFixedDelay(() -> {
                try {
                    kills.addAndGet(backend.terminateSwitchConnections(own));
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }, 0, 20, TimeUnit.MILLISECONDS);
            AtomicInteger failed = new AtomicInteger();
            AtomicInteger tries = new AtomicInteger();
            down = drive(drivers, () -> {
                long failures = sent.stream().skip(BEFORE).filter(s -> !s.code().equals("00")).count();
                failed.set((int) failures);
                int tried = tries.incrementAndGet();
                return failures >= DOWN_FAILURES_WANTED && tried > DOWN_MIN || tried > DOWN_MAX;
            });
            assertThat(failed.get()).as("answers other than 00 while the journal was down").isGreaterThanOrEqualTo(DOWN_FAILURES_WANTED);
        } finally {
            killer.shutdownNow();
            assertThat(killer.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(kills.get()).isPositive();
        assertThat(down).extracting(Sent::code).allMatch(code -> Set.of("00", "96", "91").contains(code));

        // recovers by itself: a run of consecutive approvals, within a bound
        AtomicInteger streak = new AtomicInteger();
        Driver one = drivers.getFirst();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            streak.set(one.purchase().code().equals("00") ? streak.get() + 1 : 0);
            return streak.get() >= AFTER_CONSECUTIVE_APPROVALS;
        });

        assertEveryApprovalIsJournaledAndDebitedOnce();
        long stuck = fixture.journal().all().stream().filter(r -> r.state().equals("SENT")).count();
        assertNothingIsLeftSentAndEveryCardIsDebitedWhatItsTerminalsWereTold();
        LOG.info("journal kill: {} record(s) were SENT after the journal came back, all resolved by the node", stuck);
        LOG.info("journal kill: {} purchases, answers by code {}, {} backends terminated", sent.size(),
                sent.stream().collect(Collectors.groupingBy(Sent::code, java.util.TreeMap::new, Collectors.counting())), kills.get());
    }

    /** Regression: a record whose outcome write failed stayed SENT for the node's whole life, its debit with it. */
    private void assertNothingIsLeftSentAndEveryCardIsDebitedWhatItsTerminalsWereTold() {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(fixture.journal().all()).extracting(JournalRows.Row::state).doesNotContain("SENT", "REVERSAL_PENDING");
            for (IssuedCard card : fixture.issuer().cards()) {
                long told = sent.stream().filter(s -> s.card() == card && s.code().equals("00")).count() * AMOUNT;
                assertThat(IssuerSimulator.OPENING_BALANCE_MINOR - fixture.issuer().balance(card))
                        .as("debited from %s", card.account().accountId()).isEqualTo(told);
            }
        });
    }

    private void assertEveryApprovalIsJournaledAndDebitedOnce() {
        List<Sent> approved = sent.stream().filter(s -> s.code().equals("00")).toList();
        assertThat(sent).extracting(Sent::code).allMatch(code -> Set.of("00", "96", "91").contains(code));
        Map<String, JournalRows.Row> rows = fixture.journal().all().stream()
                .collect(Collectors.toMap(r -> r.terminalId() + "/" + r.stan(), r -> r));
        Map<String, List<LedgerEntry>> debitsByRrn = fixture.issuer().entries(EntryKind.DEBIT).stream()
                .collect(Collectors.groupingBy(e -> e.reference().rrn()));
        for (Sent s : approved) {
            JournalRows.Row row = rows.get(s.terminalId() + "/" + s.stan());
            assertThat(row).as("journal row of approved %s/%s", s.terminalId(), s.stan()).isNotNull();
            assertThat(row.state()).isEqualTo("APPROVED");
            assertThat(row.authCode()).isEqualTo(s.answer().getString(38));
            assertThat(row.switchRrn()).isEqualTo(s.answer().getString(37));
            assertThat(debitsByRrn.get(s.answer().getString(37))).as("debits of RRN %s", s.answer().getString(37)).hasSize(1);
        }
        // write-ahead: the issuer never debited for a request the journal has no row of
        Set<String> journaledRrns = rows.values().stream().map(JournalRows.Row::switchRrn).collect(Collectors.toSet());
        assertThat(journaledRrns).containsAll(debitsByRrn.keySet());
        assertThat(fixture.issuer().bank().conservationViolations()).isEmpty();
    }
}
