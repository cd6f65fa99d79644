package io.isoswitch.cli.settle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.cli.Main;
import io.isoswitch.cli.demo.DemoWorld;
import io.isoswitch.core.config.JournalConfig;
import io.isoswitch.core.config.OpsConfig;
import io.isoswitch.core.config.SettlementConfig;
import io.isoswitch.core.config.SwitchConfig;
import io.isoswitch.core.node.SwitchNode;
import io.isoswitch.security.KeyAlgorithm;
import io.isoswitch.security.KeyKind;
import io.isoswitch.security.LocalMasterKey;
import io.isoswitch.security.SecureKey;
import io.isoswitch.security.SoftwareHsm;
import io.isoswitch.settlement.clearing.MerchantSettlement;
import io.isoswitch.settlement.clearing.MerchantTotals;
import io.isoswitch.settlement.clearing.SettlementReport;
import io.isoswitch.settlement.db.DatabaseConfig;
import io.isoswitch.settlement.db.JournalDatabase;
import io.isoswitch.sim.card.IssuedCard;
import io.isoswitch.sim.ledger.AccountBalance;
import io.isoswitch.sim.terminal.CardData;
import io.isoswitch.sim.terminal.PosTerminal;
import io.isoswitch.sim.terminal.SettlementResult;
import io.isoswitch.sim.terminal.TerminalConfig;
import io.isoswitch.sim.terminal.TerminalResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A day of mixed traffic from many terminals of every dialect through a real switch on
 * PostgreSQL to the two simulated banks; every terminal closes its batch (0500), which must agree
 * with the host; then the day is closed through the ops port, settled
 * with {@code iso-switch settle}, and the money is checked to the cent: what the merchants are paid
 * plus their fees is what the banks' ledgers cleared, and each bank's clearing file is its ledger.
 */
class DayOfTrafficTest {
    private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String TOKEN = "day-test-token";
    private static final int TRANSACTIONS_PER_TERMINAL = 40;

    @TempDir
    Path dir;

    @Test
    void theMerchantsNetPlusFeesIsWhatTheIssuersClearedToTheCent() throws Exception {
        String schema = "day_traffic_" + HexFormat.of().formatHex(randomBytes());
        Path fees = Files.writeString(dir.resolve("fees.yaml"), """
                plans:
                  - id: default
                    refundPolicy: RETURN_PROPORTIONAL
                    rules:
                      - {scheme: "*", type: "*", percent: "0.60"}
                      - {scheme: unionpay, type: "*", percent: "0.38", minimumMinor: 10, maximumMinor: 2000, currency: CNY}
                      - {scheme: visa, type: purchase, percent: "1.10", fixedMinor: 25, minimumMinor: 50, currency: CNY}
                """);
        Path configFile = Files.writeString(dir.resolve("switch.yaml"), """
                journal: {url: "%s", user: postgres, schema: %s, poolSize: 4}
                settlement: {feePlansFile: "%s"}
                """.formatted(POSTGRES, schema, fees));
        try (DemoWorld world = DemoWorld.create(dir.resolve("world"), 0, 3, 8)) {
            runTheDay(world, schema, fees, configFile);
        } finally {
            dropSchema(schema);
        }
    }

    private void runTheDay(DemoWorld world, String schema, Path fees, Path configFile) throws Exception {
        SwitchConfig demo = world.config();
        SwitchConfig config = new SwitchConfig("node-1", "UTC", demo.listeners(), new OpsConfig("127.0.0.1", 0, TOKEN),
                new JournalConfig(POSTGRES, "postgres", "", 8, 0, schema), demo.security(), demo.pipeline(), demo.issuers(),
                demo.routesFile(), demo.terminalsFile(), demo.limits())
                // the scheduled cutover half a day away: only the ops command below closes the day
                .withSettlement(new SettlementConfig(LocalTime.now(ZoneOffset.UTC).plusHours(12).truncatedTo(ChronoUnit.MINUTES).toString(),
                        50L, fees.toString()));
        LocalDate day;
        try (SwitchNode node = SwitchNode.start(config, world.switchHsm(), Clock.systemUTC())) {
            double started = gauge(node);
            day = LocalDate.of((int) started / 10_000, (int) started / 100 % 100, (int) started % 100);
            List<Thread> terminals = new ArrayList<>();
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            long seed = 0;
            for (DemoWorld.DemoTerminal terminal : world.terminals()) {
                int port = node.terminalPorts().get(terminal.dialect().ordinal());
                long s = ++seed;
                terminals.add(Thread.ofPlatform().start(() -> {
                    try {
                        drive(world, terminal, port, s);
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            for (Thread t : terminals) {
                t.join();
            }
            assertThat(failures).isEmpty();
            assertThat(rowsOutsideAClosedBatch(schema)).as("approved card transactions in no closed batch").isZero();
            // reversals the switch owes the banks are delivered before the books are compared
            await().atMost(Duration.ofSeconds(60)).until(() -> pendingForwards(schema) == 0);

            HttpResponse<String> cutover = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + node.opsPort() + "/ops/cutover?from=" + day))
                    .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(cutover.statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(10)).until(() -> gauge(node) == yyyymmdd(day.plusDays(1)));
        }

        Path out = dir.resolve("out");
        assertThat(Main.run("settle", "--date", day.toString(), "--config", configFile.toString(), "--out", out.toString())).isZero();
        assertThat(Main.run("settle", "--date", day.toString(), "--config", configFile.toString(), "--out", out.toString())).isZero();
        assertThat(Main.run("settle", "--date", day.plusDays(1).toString(), "--config", configFile.toString())).isEqualTo(3);

        SettlementReport report;
        try (JournalDatabase database = JournalDatabase.open(new DatabaseConfig(POSTGRES, "postgres", "", 2, 2_000, schema))) {
            report = new MerchantSettlement(database, Clock.systemUTC()).report(day).orElseThrow();
        }
        long merchantsPaidPlusFees = report.merchants().stream().mapToLong(m -> m.netMinor() + m.feeMinor()).sum();
        assertThat(report.merchants()).extracting(MerchantTotals::salesCount).allMatch(count -> count > 0);
        assertThat(report.merchants().stream().mapToLong(MerchantTotals::feeMinor).sum()).isPositive();

        long clearedByBanks = 0;
        for (DemoWorld.Bank bank : world.banks()) {
            long cleared = 0;
            for (AccountBalance account : bank.bank().snapshot().balances()) {
                cleared += account.openingMinor() - account.balanceMinor();
            }
            assertThat(bank.bank().conservationViolations()).isEmpty();
            Map<String, Long> file = clearingTotals(out.resolve(day.toString()).resolve("clearing-" + bank.id() + ".csv"));
            assertThat(file).as(bank.id() + " clearing file").containsEntry("156", cleared);
            clearedByBanks += cleared;
        }
        assertThat(clearedByBanks).isPositive();
        assertThat(merchantsPaidPlusFees).isEqualTo(clearedByBanks);
    }

    /** One terminal's day: purchases, refunds, pre-authorizations and completions, voids, reversals, inquiries, wrong PINs. */
    private static void drive(DemoWorld world, DemoWorld.DemoTerminal terminal, int port, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        SoftwareHsm hsm = new SoftwareHsm(LocalMasterKey.generate(new SecureRandom()));
        SecureKey tmk = hsm.formKey(KeyKind.TMK, KeyAlgorithm.TDES_2KEY, List.of(HexFormat.of().parseHex(terminal.clearTmkHex())));
        TerminalConfig config = TerminalConfig.of("127.0.0.1", port, terminal.dialect(), terminal.id(), "DEMOMERCHANT001", 156, hsm, tmk)
                .withTimeout(Duration.ofSeconds(20));
        try (PosTerminal pos = PosTerminal.connect(config)) {
            assertThat(pos.signOn().approved()).isTrue();
            for (int i = 0; i < TRANSACTIONS_PER_TERMINAL; i++) {
                DemoWorld.Bank bank = world.banks().get(random.nextInt(world.banks().size()));
                IssuedCard issued = bank.cards().get(random.nextInt(bank.cards().size()));
                CardData card = CardData.of(issued);
                long amount = 100 + random.nextInt(30_000);
                int pick = random.nextInt(100);
                if (pick < 45) {
                    pos.purchase(random.nextInt(20) == 0 ? card.withPin(issued.pin().equals("0000") ? "1111" : "0000") : card, amount);
                } else if (pick < 55) {
                    pos.refund(card, amount);
                } else if (pick < 65) {
                    TerminalResult preAuth = pos.preAuth(card, amount);
                    if (preAuth.approved()) {
                        pos.completion(preAuth, amount - random.nextInt((int) amount / 2));
                    }
                } else if (pick < 75) {
                    TerminalResult sale = pos.purchase(card, amount);
                    if (sale.approved()) {
                        pos.reverse(sale);
                    }
                } else if (pick < 82) {
                    TerminalResult sale = pos.purchase(card, amount);
                    if (sale.approved()) {
                        pos.voidOf(sale);
                    }
                } else {
                    pos.balanceInquiry(card);
                }
            }
            // the end of the terminal's day: its batch closes, agreeing with the host to the cent
            SettlementResult closed = pos.settle();
            assertThat(closed.balanced()).as(terminal.id() + ": " + closed.describe()).isTrue();
        }
    }

    private static double gauge(SwitchNode node) {
        return node.registry().get("switch.business.date").gauge().value();
    }

    private static double yyyymmdd(LocalDate date) {
        return date.getYear() * 10_000 + date.getMonthValue() * 100 + date.getDayOfMonth();
    }

    /** Net per currency from a clearing file's trailers, after checking them against its records. */
    private static Map<String, Long> clearingTotals(Path file) throws Exception {
        Map<String, Long> fromRecords = new TreeMap<>();
        Map<String, Long> fromTrailers = new TreeMap<>();
        for (String line : Files.readAllLines(file)) {
            String[] f = line.split(",", -1);
            if (f[0].equals("D")) {
                fromRecords.merge(f[8], Long.parseLong(f[9]), Long::sum);
            } else if (f[0].equals("T")) {
                fromTrailers.put(f[1], Long.parseLong(f[7]));
            }
        }
        assertThat(fromTrailers).isEqualTo(fromRecords);
        return fromTrailers;
    }

    /** Purchases, refunds and completions approved today that no closed terminal batch holds. */
    private static long rowsOutsideAClosedBatch(String schema) throws Exception {
        try (Connection c = DriverManager.getConnection(POSTGRES, "postgres", "");
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + schema + ".journal WHERE batch_id IS NULL AND state IN ('APPROVED', 'STAND_IN_APPROVED')"
                     + " AND transaction_type IN ('PURCHASE', 'REFUND', 'PREAUTH_COMPLETION')")) {
            r.next();
            return r.getLong(1);
        }
    }

    private static long pendingForwards(String schema) throws Exception {
        try (Connection c = DriverManager.getConnection(POSTGRES, "postgres", "");
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + schema + ".saf_queue WHERE state <> 'DONE'")) {
            r.next();
            return r.getLong(1);
        }
    }

    private static void dropSchema(String schema) throws Exception {
        try (Connection c = DriverManager.getConnection(POSTGRES, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[5];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }
}
