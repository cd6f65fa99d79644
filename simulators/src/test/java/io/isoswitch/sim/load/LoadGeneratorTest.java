package io.isoswitch.sim.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.codec.net.Transport;
import io.isoswitch.security.KeyAlgorithm;
import io.isoswitch.security.KeyKind;
import io.isoswitch.security.LocalMasterKey;
import io.isoswitch.security.SecureKey;
import io.isoswitch.security.SoftwareHsm;
import io.isoswitch.sim.terminal.TerminalDialect;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.YearMonth;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The load generator against a host whose answers are chosen by arrival number, so that what the
 * host decided can be held against the report. Delays are lower bounds of latency whatever the
 * machine's load, so every latency assertion here is a lower bound derived from the schedule.
 */
class LoadGeneratorTest {
    private static final TerminalDialect DIALECT = TerminalDialect.ISO87_BINARY;
    private static final String TMK = "0123456789ABCDEFFEDCBA9876543210";
    private static final LoadWorld WORLD = new LoadWorld("LOADMERCHANT001", 156,
            List.of(new LoadWorld.Terminal("LOAD0001", "iso87binary", TMK), new LoadWorld.Terminal("LOAD0002", "iso87binary", TMK),
                    new LoadWorld.Terminal("LOAD0003", "iso87binary", TMK), new LoadWorld.Terminal("LOAD0004", "iso87binary", TMK)),
            List.of(new LoadWorld.Card("4761739001010010", YearMonth.now().plusYears(2).toString(), "101", "123", "1234"),
                    new LoadWorld.Card("4761739001010028", YearMonth.now().plusYears(2).toString(), "101", "456", "")));

    /**
     * The time bound of runs whose volume is set by a budget of requests (or of late sends at a
     * fixed rate): never reached on any machine that works, it only ends a run that cannot finish.
     */
    private static final Duration BUDGET_BOUND = Duration.ofMinutes(1);

    private static LoadPlan echoes(FakeHost host, int connections, int inFlight, Duration duration) {
        return LoadPlan.closedLoop("127.0.0.1", host.port(), DIALECT, connections, Duration.ZERO, duration, LoadMix.echoOnly())
                .withInFlight(inFlight);
    }

    @Test
    void latencyPercentilesFollowTheHostsDelaySchedule() throws Exception {
        // one request in ten waits 40 ms, the rest are answered at once
        try (FakeHost host = new FakeHost(DIALECT, n -> FakeHost.Answer.after(n % 10 == 9 ? 40 : 0))) {
            LoadGenerator generator = new LoadGenerator(echoes(host, 4, 1, BUDGET_BOUND).withRequests(200), WORLD, null);
            LoadReport report = generator.run();
            long delayed = host.delays.get(40L).sum();
            long prompt = host.delays.get(0L).sum();

            assertThat(report.sent()).isEqualTo(200);
            assertThat(delayed).isEqualTo(20);
            assertThat(report.answered()).isEqualTo(delayed + prompt).isEqualTo(report.sent());
            assertThat(report.latencyMs().count()).isEqualTo(report.answered());
            org.HdrHistogram.Histogram latency = generator.latencyMicros();
            // every delayed answer took at least its delay: the histogram holds at least that many at >= 40 ms
            assertThat(latency.getCountBetweenValues(40_000, latency.getMaxValue())).isGreaterThanOrEqualTo(delayed);
            double delayedShare = 100.0 * delayed / report.answered();
            assertThat(latency.getValueAtPercentile(Math.min(100, 100 - delayedShare + 0.01))).isGreaterThanOrEqualTo(39_900);
            assertThat(report.latencyMs().max()).isGreaterThanOrEqualTo(40.0);
            assertThat(report.latencyMs().p50()).isLessThanOrEqualTo(report.latencyMs().p90());
            assertThat(report.latencyMs().p90()).isLessThanOrEqualTo(report.latencyMs().p99());
            assertThat(report.latencyMs().p99()).isLessThanOrEqualTo(report.latencyMs().p999());
            assertThat(report.latencyMs().p999()).isLessThanOrEqualTo(report.latencyMs().max());
            assertThat(report.errorCount()).isZero();
            assertThat(report.responseCodes()).containsOnlyKeys("00");
        }
    }

    @Test
    void timeoutsAndResponseCodesAreCountedExactly() throws Exception {
        // of every five requests: one never answered, one declined 05, three approved
        try (FakeHost host = new FakeHost(DIALECT, n -> switch ((int) (n % 5)) {
            case 3 -> FakeHost.Answer.silence();
            case 4 -> FakeHost.Answer.code("05");
            default -> FakeHost.Answer.code("00");
        })) {
            LoadReport report = new LoadGenerator(echoes(host, 2, 4, BUDGET_BOUND).withRequests(100).withTimeout(Duration.ofSeconds(2)),
                    WORLD, null).run();

            assertThat(report.timeouts()).isEqualTo(host.silent.sum()).isEqualTo(20);
            assertThat(report.responseCodes().get("05")).isEqualTo(host.code("05"));
            assertThat(report.responseCodes().get("00")).isEqualTo(host.code("00"));
            assertThat(report.sent()).isEqualTo(report.answered() + report.timeouts()).isEqualTo(host.arrivals()).isEqualTo(100);
            assertThat(report.errors().values()).containsOnly(0L);
        }
    }

    @Test
    void aConnectionClosedByTheHostCountsItsOutstandingRequestsAsLost() throws Exception {
        // request 20 arrives whatever the machine's speed: the run lasts until 60 were sent, and the
        // connection that stays carries on with the budget the closed one leaves
        try (FakeHost host = new FakeHost(DIALECT, n -> n == 20 ? FakeHost.Answer.hangUp() : FakeHost.Answer.after(0))) {
            LoadReport report = new LoadGenerator(echoes(host, 2, 3, BUDGET_BOUND).withRequests(60), WORLD, null).run();

            assertThat(host.closed.sum()).isEqualTo(1);
            long lost = report.errors().get(LoadError.CONNECTION_LOST);
            assertThat(lost).isBetween(1L, 3L);
            assertThat(report.connections()).isEqualTo(2);
            assertThat(report.answered()).isPositive();
            assertThat(report.sent()).isEqualTo(60).isEqualTo(report.answered() + lost);
            assertThat(report.timeouts()).isZero();
        }
    }

    /** The generator's connections answer on every transport that loads here, and on the fallback the choice lands on. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void echoesAreAnsweredOnEachTransportOrItsFallback(Transport transport) throws Exception {
        Transport used = Transport.select(transport.label());
        assertThat(used == transport).isEqualTo(transport.isAvailable());
        try (FakeHost host = new FakeHost(DIALECT, n -> FakeHost.Answer.after(0))) {
            LoadGenerator generator = new LoadGenerator(echoes(host, 2, 2, BUDGET_BOUND).withRequests(100), WORLD, null, used);
            LoadReport report = generator.run();

            assertThat(generator.transport()).isEqualTo(used);
            assertThat(report.sent()).isEqualTo(100);
            assertThat(report.answered()).isEqualTo(100);
            assertThat(report.errorCount()).isZero();
            assertThat(report.responseCodes()).containsOnlyKeys("00");
        }
    }

    @Test
    void aRunStopsByItselfAndLeavesNoThreadOrConnectionBehind() throws Exception {
        try (FakeHost host = new FakeHost(DIALECT, n -> FakeHost.Answer.after(n % 3 == 0 ? 5 : 0))) {
            new LoadGenerator(echoes(host, 8, 2, Duration.ofMillis(400)), WORLD, null).run();

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(host.open.size()).isZero());
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet())
                    .noneMatch(t -> t.getName().startsWith("load-")));
        }
    }

    @Test
    void atAFixedRateLatencyRunsFromWhenEachRequestWasDue() throws Exception {
        // the host needs 20 ms per answer and the terminal may have one request out: at 100 per second
        // (one due every 10 ms) request k cannot be answered before (k + 1) x 20 ms, so it waited
        // at least (k + 1) x 20 - k x 10 ms from its due time, though each took only 20 ms of service
        try (FakeHost host = new FakeHost(DIALECT, n -> FakeHost.Answer.after(20))) {
            // a request due in the window is sent late, but not later than a timeout after its end:
            // the timeout is a bound a loaded machine never reaches, so every one of the 40 goes out
            LoadPlan plan = echoes(host, 1, 1, Duration.ofMillis(400)).withRate(100, 1).withTimeout(BUDGET_BOUND);
            LoadGenerator generator = new LoadGenerator(plan, WORLD, null);
            LoadReport report = generator.run();

            long n = report.answered();
            assertThat(n).isEqualTo(40);
            assertThat(report.serviceTimeMs().max()).isGreaterThanOrEqualTo(20.0);
            assertThat(report.latencyMs().max()).isGreaterThanOrEqualTo(n * 20 - (n - 1) * 10);
            long median = n / 2;
            assertThat(generator.latencyMicros().getValueAtPercentile(50)).isGreaterThanOrEqualTo(((median) * 20 - (median - 1) * 10) * 1000 - 1000);
            assertThat(report.latencyMs().p50()).isGreaterThan(report.serviceTimeMs().p50());
            assertThat(report.errors().get(LoadError.NOT_SENT)).isZero();
        }
    }

    @Test
    void atAFixedRateAConnectionSetsOneTimerPerSlotHoweverManyAnswersArrive() throws Exception {
        // a host answering at once and room for many in flight: every answer pumps the connection,
        // which must not set a timer of its own when one for the next slot is already set
        try (FakeHost host = new FakeHost(DIALECT, n -> FakeHost.Answer.after(0))) {
            LoadPlan plan = echoes(host, 4, 1, Duration.ofMillis(500)).withRate(400, 8).withTimeout(BUDGET_BOUND);
            LoadGenerator generator = new LoadGenerator(plan, WORLD, null);
            LoadReport report = generator.run();

            long slots = report.sent() + report.errors().get(LoadError.NOT_SENT);
            assertThat(slots).isEqualTo(200);
            assertThat(report.answered()).isEqualTo(report.sent());
            assertThat(generator.wakeUps()).isPositive().isLessThanOrEqualTo(slots + 4);
        }
    }

    @Test
    void atAFixedRateRequestsATargetNeverLetLeaveAreCountedAsNotSent() throws Exception {
        // a host that answers nothing, one request in flight per connection and a short timeout:
        // after the first request each connection may send again only when it times out
        try (FakeHost host = new FakeHost(DIALECT, n -> FakeHost.Answer.silence())) {
            LoadPlan plan = echoes(host, 2, 1, Duration.ofMillis(300)).withRate(200, 1).withTimeout(Duration.ofMillis(100));
            LoadReport report = new LoadGenerator(plan, WORLD, null).run();

            assertThat(report.answered()).isZero();
            assertThat(report.timeouts()).isEqualTo(report.sent());
            assertThat(report.sent() + report.errors().get(LoadError.NOT_SENT)).isEqualTo(60);
            assertThat(report.errors().get(LoadError.NOT_SENT)).isPositive();
        }
    }

    @Test
    void cardTransactionsSignOnAndCarryMacsTheHostVerifies() throws Exception {
        SoftwareHsm hsm = new SoftwareHsm(LocalMasterKey.generate(new SecureRandom()));
        SecureKey tmk = hsm.formKey(KeyKind.TMK, KeyAlgorithm.TDES_2KEY, List.of(HexFormat.of().parseHex(TMK)));
        try (FakeHost host = new FakeHost(DIALECT, n -> FakeHost.Answer.code("00"), hsm, tmk)) {
            LoadPlan plan = LoadPlan.closedLoop("127.0.0.1", host.port(), DIALECT, 4, Duration.ofMillis(100),
                    BUDGET_BOUND, LoadMix.parse("purchase=60,balance=20,refund=10,preauth=10")).withRequests(200);
            ByteArrayOutputStream progress = new ByteArrayOutputStream();
            LoadReport report = new LoadGenerator(plan, WORLD, new PrintStream(progress, true, StandardCharsets.UTF_8)).run();

            assertThat(host.signOns.sum()).isEqualTo(4);
            assertThat(host.badMacs.sum()).isZero();
            // each refund names an approved purchase of its own connection (field 37), each purchase once
            assertThat(host.refundsWithoutOriginal.sum()).isZero();
            assertThat(host.refundsOfOriginals.sum()).isPositive();
            assertThat(report.answered()).isEqualTo(200);
            assertThat(report.responseCodes()).containsOnlyKeys("00");
            assertThat(progress.toString(StandardCharsets.UTF_8)).contains("measure").contains("p99");
            assertThat(report.json()).contains("\"throughputPerSecond\"").contains("\"p999\"");
        }
    }

    @Test
    void cardTransactionsNeedATerminalPerConnection() {
        try (FakeHost host = new FakeHost(DIALECT, n -> FakeHost.Answer.code("00"))) {
            LoadPlan plan = LoadPlan.closedLoop("127.0.0.1", host.port(), DIALECT, 5, Duration.ZERO, Duration.ofMillis(100),
                    LoadMix.parse("purchase=1"));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LoadGenerator(plan, WORLD, null).run())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one terminal per connection")
                    .hasMessageContaining("ask for at most 4 connections").hasMessageContaining("--terminals-per-dialect 5");
        }
    }
}
