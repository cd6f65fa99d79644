package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.config.SwitchConfig;
import io.isoswitch.core.issuer.IssuerConfig;
import io.isoswitch.core.testing.IssuerSimulator;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failover between two issuer hosts (the fixture's bank-a and a second simulator, bank-b, issuing
 * the same cards from its own ledger) on the real PostgreSQL, through real listeners: the
 * secondary named where the documentation says it can be named takes the primary's traffic while
 * the primary is down, and a transaction that acts on an earlier one (a UnionPay online completion
 * capturing a hold) goes to the issuer that holds it, whichever is primary at that moment.
 */
class IssuerFailoverPostgresTest {
    private static final String SECONDARY = "bank-b";
    private static final long OPENING = IssuerSimulator.OPENING_BALANCE_MINOR;

    @TempDir
    Path dir;
    private JournalBackend backend;
    private SwitchFixture fixture;
    private IssuerSimulator bankB;
    private int stans = 300;

    /**
     * Starts bank-b and the fixture with both issuers configured.
     *
     * @param secondaryInRoute true: the route names bank-b as its secondary; false: only
     *                         {@code issuers[bank-a].secondaryIssuerId} does
     */
    private void start(boolean secondaryInRoute) {
        backend = JournalBackend.postgres(IssuerFailoverPostgresTest.class);
        bankB = new IssuerSimulator(SECONDARY, 8);
        fixture = SwitchFixture.start(SwitchFixture.Options.of(backend, dir).withCards(8).withIssuerTimeoutMs(500)
                .withIssuerEchoIntervalMs(300).withConfig(c -> withSecondary(c, secondaryInRoute)));
        awaitUp(SECONDARY, true);
    }

    private SwitchConfig withSecondary(SwitchConfig c, boolean secondaryInRoute) {
        IssuerConfig a = c.issuers().get(0);
        IssuerConfig b = new IssuerConfig(SECONDARY, "127.0.0.1", bankB.port(), a.connections(), null, null,
                a.requestTimeoutMs(), a.echoIntervalMs(), 0, 50, 200, a.acquiringInstitutionId(), null, a.zmkKeyBlock(), null);
        List<IssuerConfig> issuers = new ArrayList<>(List.of(secondaryInRoute ? a : a.withSecondary(SECONDARY), b));
        Path routes = dir.resolve("routes-failover.yaml");
        try {
            Files.writeString(routes, "routes:\n  - name: " + SwitchFixture.ISSUER + "\n    bins: [\"" + IssuerSimulator.BIN
                    + "\"]\n    primary: " + SwitchFixture.ISSUER + (secondaryInRoute ? "\n    secondary: " + SECONDARY : "") + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new SwitchConfig(c.nodeId(), c.businessZone(), c.listeners(), c.ops(), c.journal(), c.security(), c.pipeline(),
                issuers, routes.toString(), c.terminalsFile(), c.limits(), c.transactions(), c.standIn(), c.settlement());
    }

    @AfterEach
    void stop() {
        try {
            if (fixture != null) {
                fixture.close();
            }
            if (bankB != null) {
                bankB.close();
            }
        } finally {
            if (backend != null) {
                backend.close(); // drops the test's schema, whatever happened above
            }
        }
    }

    private String stan() {
        return String.format("%06d", ++stans);
    }

    private void awaitUp(String issuerId, boolean up) {
        await().atMost(Duration.ofSeconds(30)).until(() -> fixture.node().issuerLinks().isUp(issuerId) == up);
    }

    private void primaryDown() {
        fixture.issuer().stop();
        awaitUp(SwitchFixture.ISSUER, false);
    }

    private void primaryBack() {
        fixture.issuer().start();
        awaitUp(SwitchFixture.ISSUER, true);
    }

    @Test
    void theSecondaryIssuerIdOfAnIssuerTakesItsTrafficWhileItIsDown() throws IOException {
        start(false);
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
        IssuedCard card = fixture.issuer().card(0);
        primaryDown();

        String purchaseStan = stan();
        IsoMessage answer = terminal.send(terminal.requests().purchase(SwitchFixture.read(card),
                terminal.pinBlock(card.pin(), card.account().pan()), purchaseStan, 2_500));

        assertThat(answer.getString(39)).as("answer while bank-a is down and bank-b is its secondary").isEqualTo("00");
        assertThat(fixture.journal().find(terminal.terminalId(), purchaseStan).orElseThrow().issuerId()).isEqualTo(SECONDARY);
        assertThat(bankB.balance(bankB.card(0))).isEqualTo(OPENING - 2_500);
        assertThat(fixture.issuer().balance(card)).isEqualTo(OPENING);
    }

    @Test
    void aCompletionGoesToTheIssuerThatHoldsItsPreAuthorizationAfterTheOtherCameBack() throws IOException {
        start(true);
        TerminalSide terminal = fixture.signedOn(TerminalDialect.CUP_POS, 1);
        IssuedCard card = fixture.issuer().card(1);
        primaryDown();
        String preAuthStan = stan();
        IsoMessage preAuth = terminal.send(terminal.requests().preAuthorization(SwitchFixture.read(card),
                terminal.pinBlock(card.pin(), card.account().pan()), preAuthStan, 10_000));
        assertThat(preAuth.getString(39)).isEqualTo("00");
        assertThat(fixture.journal().find(terminal.terminalId(), preAuthStan).orElseThrow().issuerId()).isEqualTo(SECONDARY);
        assertThat(bankB.available(bankB.card(1))).as("held at bank-b").isEqualTo(OPENING - 10_000);
        primaryBack();

        String completionStan = stan();
        IsoMessage completion = terminal.send(terminal.requests().completion(SwitchFixture.read(card), completionStan, 9_000,
                preAuth.getString(37), preAuth.getString(38), preAuthStan));

        assertThat(completion.getString(39)).as("completion of bank-b's hold once bank-a is back").isEqualTo("00");
        assertThat(fixture.journal().find(terminal.terminalId(), completionStan).orElseThrow().issuerId()).isEqualTo(SECONDARY);
        assertThat(bankB.balance(bankB.card(1))).isEqualTo(OPENING - 9_000);
        assertThat(bankB.available(bankB.card(1))).isEqualTo(OPENING - 9_000);
        assertThat(fixture.issuer().balance(card)).isEqualTo(OPENING);
        assertThat(fixture.issuer().available(card)).isEqualTo(OPENING);
    }

    @Test
    void aCompletionWhoseIssuerIsDownIsAnswered91AndNotSentToTheOther() throws IOException {
        start(true);
        TerminalSide terminal = fixture.signedOn(TerminalDialect.CUP_POS, 1);
        IssuedCard card = fixture.issuer().card(2);
        String preAuthStan = stan();
        IsoMessage preAuth = terminal.send(terminal.requests().preAuthorization(SwitchFixture.read(card),
                terminal.pinBlock(card.pin(), card.account().pan()), preAuthStan, 10_000));
        assertThat(preAuth.getString(39)).isEqualTo("00");
        primaryDown();

        IsoMessage completion = terminal.send(terminal.requests().completion(SwitchFixture.read(card), stan(), 9_000,
                preAuth.getString(37), preAuth.getString(38), preAuthStan));

        assertThat(completion.getString(39)).as("bank-b never held it").isEqualTo("91");
        assertThat(bankB.balance(bankB.card(2))).isEqualTo(OPENING);
        assertThat(bankB.available(bankB.card(2))).isEqualTo(OPENING);
        primaryBack();
        assertThat(fixture.issuer().available(card)).as("still held at bank-a").isEqualTo(OPENING - 10_000);
    }
}
