package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.codec.spec.Dialects;
import io.isoswitch.core.config.JournalConfig;
import io.isoswitch.core.config.ListenerConfig;
import io.isoswitch.core.config.OpsConfig;
import io.isoswitch.core.config.PipelineConfig;
import io.isoswitch.core.config.SecurityConfig;
import io.isoswitch.core.config.SwitchConfig;
import io.isoswitch.core.issuer.IssuerConfig;
import io.isoswitch.core.terminal.Merchant;
import io.isoswitch.core.terminal.TerminalFile;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.core.testing.TestTerminalClient;
import io.isoswitch.security.Hsm;
import io.isoswitch.security.KeyAlgorithm;
import io.isoswitch.security.KeyKind;
import io.isoswitch.security.LocalMasterKey;
import io.isoswitch.security.SecureKey;
import io.isoswitch.security.SoftwareHsm;
import io.isoswitch.sim.card.CardGenerator;
import io.isoswitch.sim.card.IssuedCard;
import io.isoswitch.sim.issuer.IssuerBank;
import io.isoswitch.sim.issuer.IssuerPolicy;
import io.isoswitch.sim.issuer.host.IssuerHost;
import io.isoswitch.sim.issuer.host.IssuerHostConfig;
import io.isoswitch.sim.issuer.host.IssuerKeys;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path over real TCP: a terminal signs on and sends PIN purchases through a switch node
 * (H2 journal) to the issuer simulator, which checks the PIN re-encrypted under its ZPK and keeps
 * the ledger that tells whether money moved.
 */
class SwitchEndToEndTest {
    private static final String ZMK = "0123456789ABCDEFFEDCBA9876543210";
    private static final String PVK = "11223344556677888877665544332211";
    private static final String TERMINAL = "TERM0001";
    private static final DateTimeFormatter YYMM = DateTimeFormatter.ofPattern("yyMM");

    @TempDir
    Path dir;
    private final Hsm issuerHsm = new SoftwareHsm(LocalMasterKey.generate(new SecureRandom()));
    private final Hsm switchHsm = new SoftwareHsm(LocalMasterKey.generate(new SecureRandom()));
    private final SecureKey tmk = switchHsm.generateKey(KeyKind.TMK, KeyAlgorithm.TDES_2KEY);
    private List<IssuedCard> cards;
    private IssuerBank bank;
    private IssuerHost issuer;
    private SwitchNode node;

    @BeforeEach
    void start() throws IOException {
        IssuerKeys issuerKeys = IssuerKeys.fromClear(issuerHsm, ZMK, PVK);
        CardGenerator.Options options = new CardGenerator.Options(List.of("476173"), 16, 156, 100_000, 100_000,
                YearMonth.now(), "ACC");
        cards = new CardGenerator(options, issuerKeys.pvvEnroller()).generate(3, 7);
        bank = new IssuerBank("bank-a", cards.stream().map(IssuedCard::account).toList(), IssuerPolicy.defaults(), Clock.systemUTC());
        issuer = IssuerHost.start(IssuerHostConfig.local(bank, issuerKeys));

        Path terminals = dir.resolve("terminals.yaml");
        Files.writeString(terminals, TerminalFile.write(new TerminalFile.Contents(
                List.of(new Merchant("MERCHANT0000001", "Shop", "5411", "156", null)),
                List.of(new TerminalFile.TerminalEntry(TERMINAL, "MERCHANT0000001", "iso87binary", tmk.keyBlock(), null, true)))));
        Path routes = dir.resolve("routes.yaml");
        Files.writeString(routes, "routes:\n  - name: bank-a\n    bins: [\"476173\"]\n    primary: bank-a\n");
        SecureKey switchZmk = IssuerKeys.fromClear(switchHsm, ZMK, PVK).zmk();
        IssuerConfig bankA = new IssuerConfig("bank-a", "127.0.0.1", issuer.port(), 1, null, null, 0, 0, 0, 0, 0,
                "12345678", null, switchZmk.keyBlock(), null);
        SwitchConfig config = new SwitchConfig("node-1", "UTC",
                List.of(new ListenerConfig("iso87binary", "127.0.0.1", 0, "iso87binary", null, 0, 0, 0, 0)),
                new OpsConfig("127.0.0.1", freePort(), null),
                new JournalConfig("jdbc:h2:mem:e2e-" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                        null, null, 0, 0, null),
                new SecurityConfig(dir.resolve("lmk.key").toString(), null, null),
                PipelineConfig.defaults(), List.of(bankA), routes.toString(), terminals.toString());
        node = SwitchNode.start(config, switchHsm, Clock.systemUTC());
        await().atMost(20, TimeUnit.SECONDS).until(() -> node.issuerLinks().isUp("bank-a"));
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        if (issuer != null) {
            issuer.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private TerminalSide terminal() throws IOException {
        TestTerminalClient client = new TestTerminalClient(node.terminalPorts().getFirst(), Dialects.iso87binary(), new byte[0]);
        TerminalSide terminal = new TerminalSide(client, Dialects.iso87binary(), switchHsm, tmk, TERMINAL);
        assertThat(terminal.signOn("000001")).isEqualTo("00");
        return terminal;
    }

    private IsoMessage purchase(TerminalSide terminal, IssuedCard card, String pin, String stan, long amount) {
        return new IsoMessage("0200").set(2, card.account().pan()).set(3, "000000").set(4, String.format("%012d", amount))
                .set(11, stan).set(12, "101010").set(13, "1126").set(14, card.account().expiry().format(YYMM))
                .set(22, "021").set(41, TERMINAL).set(42, "MERCHANT0000001").set(49, "156")
                .set(52, terminal.pinBlock(pin, card.account().pan()));
    }

    @Test
    void aPinPurchaseIsApprovedByTheIssuerAndDebitsTheCardOnce() throws IOException {
        IssuedCard card = cards.getFirst();
        TerminalSide terminal = terminal();
        IsoMessage answer = terminal.send(purchase(terminal, card, card.pin(), "000002", 2_500));
        assertThat(answer.getString(39)).isEqualTo("00");
        assertThat(answer.getString(38)).isNotBlank();
        assertThat(answer.getString(37)).hasSize(12);
        assertThat(bank.balance(card.account().accountId()).availableMinor()).isEqualTo(100_000 - 2_500);
    }

    @Test
    void aRepeatedPurchaseIsAnsweredFromTheJournalAndNeverDebitsTwice() throws IOException {
        IssuedCard card = cards.get(1);
        TerminalSide terminal = terminal();
        IsoMessage first = terminal.send(purchase(terminal, card, card.pin(), "000003", 1_000));
        IsoMessage repeat = terminal.send(purchase(terminal, card, card.pin(), "000003", 1_000));
        assertThat(repeat.getString(39)).isEqualTo(first.getString(39)).isEqualTo("00");
        assertThat(repeat.getString(38)).isEqualTo(first.getString(38));
        assertThat(repeat.getString(37)).isEqualTo(first.getString(37));
        assertThat(bank.balance(card.account().accountId()).availableMinor()).isEqualTo(100_000 - 1_000);
    }

    @Test
    void aWrongPinIsDeclinedByTheIssuerAndMovesNoMoney() throws IOException {
        IssuedCard card = cards.get(2);
        String wrong = card.pin().equals("0000") ? "1111" : "0000";
        TerminalSide terminal = terminal();
        assertThat(terminal.send(purchase(terminal, card, wrong, "000004", 1_000)).getString(39)).isEqualTo("55");
        assertThat(bank.balance(card.account().accountId()).availableMinor()).isEqualTo(100_000);
    }

    @Test
    void aCardOfABinWithoutRouteIsDeclined15() throws IOException {
        TerminalSide terminal = terminal();
        IsoMessage request = new IsoMessage("0200").set(2, "4111111111111111").set(3, "000000").set(4, "000000001000")
                .set(11, "000005").set(14, "3012").set(22, "021").set(41, TERMINAL).set(42, "MERCHANT0000001").set(49, "156");
        assertThat(terminal.send(request).getString(39)).isEqualTo("15");
    }
}
