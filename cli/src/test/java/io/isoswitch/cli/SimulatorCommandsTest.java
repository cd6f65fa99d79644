package io.isoswitch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.security.LocalMasterKey;
import io.isoswitch.security.SoftwareHsm;
import io.isoswitch.sim.card.CardCsv;
import io.isoswitch.sim.card.IssuedCard;
import io.isoswitch.sim.fault.FaultInjector;
import io.isoswitch.sim.fault.FaultPlan;
import io.isoswitch.sim.issuer.AuthorizationRequest;
import io.isoswitch.sim.issuer.IssuerBank;
import io.isoswitch.sim.issuer.IssuerPolicy;
import io.isoswitch.sim.issuer.MessageClass;
import io.isoswitch.sim.issuer.host.IssuerHost;
import io.isoswitch.sim.issuer.host.IssuerHostConfig;
import io.isoswitch.sim.issuer.host.IssuerKeys;
import io.isoswitch.sim.ledger.LedgerLog;
import io.isoswitch.sim.ledger.RequestReference;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.MonthDay;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatorCommandsTest {
    @TempDir
    Path dir;

    @Test
    void issuerGeneratesCardsServesAndDumpsItsLedger() throws Exception {
        Path cards = dir.resolve("cards.csv");
        CommandRun run = CommandRun.of(new IssuerCommand(), "--port", "0", "--cards", "6", "--seed", "9", "--write-cards",
                cards.toString(), "--dump", dir.resolve("dump").toString(), "--duration", "PT0.2S");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("issuer bank-a listening on 127.0.0.1:").contains("6 cards")
                .contains("money conserved: yes");
        List<IssuedCard> written;
        try (Reader in = Files.newBufferedReader(cards, StandardCharsets.UTF_8)) {
            written = CardCsv.read(in);
        }
        assertThat(written).hasSize(6).allSatisfy(c -> assertThat(run.out()).doesNotContain(c.account().pan()));
        assertThat(Files.readString(dir.resolve("dump/accounts.csv")))
                .startsWith("account_id,currency,opening,balance,held,available\n").contains("ACC00000006");
        assertThat(Files.readString(dir.resolve("dump/entries.csv")))
                .isEqualTo("id,at,account_id,kind,amount,currency,acquirer_id,stan,rrn,date,reverses,hold,class,time,code,approval\n");
    }

    /** A simulator killed (or stopped) and started again on the same --dump keeps the books of its run before. */
    @Test
    void issuerStartedAgainOnItsDumpTakesUpItsLedger() throws Exception {
        Path cards = dir.resolve("cards.csv");
        Path dump = dir.resolve("dump");
        assertThat(CommandRun.of(new IssuerCommand(), "--port", "0", "--cards", "2", "--write-cards", cards.toString(),
                "--dump", dump.toString(), "--duration", "PT0.1S").exitCode()).isZero();
        List<IssuedCard> issued;
        try (Reader in = Files.newBufferedReader(cards, StandardCharsets.UTF_8)) {
            issued = CardCsv.read(in);
        }
        IssuedCard card = issued.get(0);
        // the run before: a refund booked, then the process gone without a stop
        try (LedgerLog log = LedgerLog.open(dump.resolve("entries.csv"))) {
            new IssuerBank("bank-a", issued.stream().map(IssuedCard::account).toList(), IssuerPolicy.defaults(), Clock.systemUTC(), log)
                    .authorize(AuthorizationRequest.of(MessageClass.FINANCIAL, "200000", 1_234, card.account().currency(),
                            card.account().pan(), new RequestReference("10000001", 1, "000000000001", MonthDay.now())));
        }

        CommandRun again = CommandRun.of(new IssuerCommand(), "--port", "0", "--cards", cards.toString(), "--dump", dump.toString(),
                "--duration", "PT0.1S");

        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("took up its ledger from").contains("1 bookings").contains("money conserved: yes");
        long opening = card.account().openingBalanceMinor();
        assertThat(again.out()).as("the balance it prints at start is the ledger's, refund included")
                .contains(card.account().accountId() + " " + card.account().maskedPan() + " ")
                .contains("balance " + (opening + 1_234) + " available " + (opening + 1_234));
        assertThat(Files.readString(dump.resolve("accounts.csv")))
                .contains(card.account().accountId() + "," + card.account().currency() + "," + opening + "," + (opening + 1_234) + ",0,");
    }

    @Test
    void issuerRefusesADumpItCannotTakeUp() throws Exception {
        Path dump = Files.createDirectories(dir.resolve("old"));
        Files.writeString(dump.resolve("entries.csv"), "id,at,account_id,kind,amount,currency,acquirer_id,stan,rrn,date,reverses,hold\n");

        CommandRun run = CommandRun.of(new IssuerCommand(), "--port", "0", "--cards", "1", "--dump", dump.toString(),
                "--duration", "PT0.1S");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--dump").contains("start on a new directory");
    }

    @Test
    void issuerLoadsACardFileItWroteBefore() throws Exception {
        Path cards = dir.resolve("cards.csv");
        assertThat(CommandRun.of(new IssuerCommand(), "--port", "0", "--cards", "3", "--write-cards", cards.toString(),
                "--duration", "PT0.1S").exitCode()).isZero();

        CommandRun again = CommandRun.of(new IssuerCommand(), "--port", "0", "--cards", cards.toString(), "--duration", "PT0.1S");

        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("3 cards");
    }

    @Test
    void issuerTakesItsDurationInSecondsLikeTheOtherCommandsOrAsIso8601() {
        CommandRun seconds = CommandRun.of(new IssuerCommand(), "--port", "0", "--cards", "1", "--duration", "0");
        CommandRun iso = CommandRun.of(new IssuerCommand(), "--port", "0", "--cards", "1", "--duration", "PT0.1S");
        CommandRun neither = CommandRun.of(new IssuerCommand(), "--port", "0", "--cards", "1", "--duration", "30x");
        CommandRun negative = CommandRun.of(new IssuerCommand(), "--port", "0", "--cards", "1", "--duration", "-PT1S");

        assertThat(seconds.exitCode()).as(seconds.err()).isZero();
        assertThat(iso.exitCode()).as(iso.err()).isZero();
        assertThat(neither.exitCode()).isEqualTo(2);
        assertThat(neither.err()).contains("neither whole seconds (30) nor ISO-8601 (PT30S)");
        assertThat(negative.exitCode()).isEqualTo(2);
        assertThat(negative.err()).contains("is negative");
    }

    @Test
    void terminalRefusesToGuessWhatToDo() {
        CommandRun neither = CommandRun.of(new TerminalCommand(), "--port", "1");
        CommandRun unknown = CommandRun.of(new TerminalCommand(), "--port", "1", "--op", "teleport");
        CommandRun noCard = CommandRun.of(new TerminalCommand(), "--port", "1", "--op", "purchase", "--amount", "5");

        assertThat(neither.exitCode()).isEqualTo(2);
        assertThat(neither.err()).contains("give either --script FILE or --op OP");
        assertThat(unknown.err()).contains("--op: expected echo, purchase");
        assertThat(noCard.err()).contains("card: missing");
    }

    @Test
    void terminalDownloadsEmvParametersOnlyAsAUnionPayTerminal() {
        CommandRun iso = CommandRun.of(new TerminalCommand(), "--port", "1", "--op", "echo", "--download-params");

        assertThat(iso.exitCode()).isEqualTo(2);
        assertThat(iso.err()).contains("--download-params: only for --dialect cup-pos");
    }

    @Test
    void terminalRefusesAStanOutsideSixDigits() {
        CommandRun zero = CommandRun.of(new TerminalCommand(), "--port", "1", "--op", "echo", "--stan", "0");
        CommandRun tooBig = CommandRun.of(new TerminalCommand(), "--port", "1", "--op", "echo", "--stan", "1000000");

        assertThat(zero.exitCode()).isEqualTo(2);
        assertThat(zero.err()).contains("--stan: expected 1..999999, found 0");
        assertThat(tooBig.err()).contains("--stan: expected 1..999999, found 1000000");
    }

    @Test
    void terminalReportsASwitchItCannotReach() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        CommandRun run = CommandRun.of(new TerminalCommand(), "--port", Integer.toString(closedPort), "--op", "echo");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("connect to 127.0.0.1:" + closedPort + " failed");
    }

    @Test
    void terminalOpExitsOneWhenItsSignOnIsRefused() {
        // a host that refuses every sign-on but answers echoes: the run must not look like a success
        SoftwareHsm hsm = new SoftwareHsm(LocalMasterKey.generate(new SecureRandom()));
        IssuerKeys keys = IssuerKeys.fromClear(hsm, IssuerKeys.TEST_ZMK, IssuerKeys.TEST_PVK);
        IssuerBank bank = new IssuerBank("bank-a", List.of(), IssuerPolicy.defaults(), Clock.systemUTC());
        try (IssuerHost host = IssuerHost.start(new IssuerHostConfig("127.0.0.1", 0, bank, keys,
                new FaultInjector(FaultPlan.none().withRefuseSignOn(true), 1), true))) {
            CommandRun run = CommandRun.of(new TerminalCommand(), "--port", Integer.toString(host.port()), "--op", "echo");

            assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
            assertThat(run.out()).contains("sign_on").contains("EXPECTED 00");
        }
    }
}
