package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.codec.IsoCodecException;
import io.isoswitch.codec.IsoMessage;
import io.isoswitch.codec.spec.MessageSpec;
import io.isoswitch.core.metrics.SwitchMetrics;
import io.isoswitch.core.testing.IssuerAudit;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalRequests;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import io.isoswitch.sim.fault.ByteDamage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The terminal read path fuzzed end to end: every kind of request a terminal sends, MACed as it
 * would send it, then mutated (bit flips, bytes overwritten, inserted, deleted, the tail cut) inside
 * an intact frame, and sent to a running switch with an issuer behind it. Whatever a mutation
 * makes of a request, the switch must answer it with a code that blames the request (or drop it
 * when no request MTI is left), never fail inside (96), never close the connection, never move
 * money, and go on serving the terminal's next genuine request.
 */
class MutatedRequestsTest extends EndToEndScenarios {
    private static final int MUTATIONS_PER_DIALECT = 400;
    private static final String SYSTEM_ERROR = "96";
    private static final String APPROVED = "00";

    @Override
    JournalBackend backend() {
        return JournalBackend.h2();
    }

    @ParameterizedTest
    @EnumSource(TerminalDialect.class)
    void mutatedRequestsAreRefusedOrDroppedAndMoveNoMoney(TerminalDialect dialect) throws IOException {
        IssuedCard card = card();
        TerminalSide terminal = fixture.signedOn(dialect, 1);
        IsoMessage purchase = terminal.pinPurchase(card, stan(), 1_000);
        IsoMessage approved = terminal.send(purchase);
        assertThat(approved.getString(39)).isEqualTo(APPROVED);
        long available = fixture.issuer().available(card);
        long approvedRows = approvedRows();

        List<byte[]> genuine = genuineRequests(terminal, card, purchase, approved.getString(37));
        SplittableRandom random = new SplittableRandom(dialect.ordinal() * 7919L + 17);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < MUTATIONS_PER_DIALECT; i++) {
            byte[] original = genuine.get(random.nextInt(genuine.size()));
            byte[] mutated = ByteDamage.damage(original, random);
            if (sameMessage(dialect, mutated, original)) {
                continue;
            }
            for (IsoMessage answer : answersTo(terminal, mutated)) {
                String code = answer.getString(39);
                if (SYSTEM_ERROR.equals(code) || (APPROVED.equals(code) && movesMoney(answer.mti()))) {
                    failures.add(answer.mti() + " answered " + code + " to " + HexBytes.of(mutated) + " (from " + HexBytes.of(original) + ")");
                }
            }
        }

        assertThat(failures).isEmpty();
        assertThat(fixture.issuer().available(card)).isEqualTo(available);
        assertThat(approvedRows()).isEqualTo(approvedRows);
        // on the same connection: no mutation closed it
        IsoMessage next = terminal.send(terminal.pinPurchase(card, stan(), 500));
        assertThat(next.getString(39)).isEqualTo(APPROVED);
        assertThat(fixture.issuer().available(card)).isEqualTo(available - 500);
    }

    /**
     * Mutations that still decode, MACed again as if the terminal had meant them: they pass the MAC
     * check, so what is tested is everything behind it (classification, validation, limits, routing,
     * originals, the issuer). Whatever they ask, the switch answers each once, never fails inside
     * (96), and the journal agrees with the issuer's ledger to the minor unit afterwards.
     */
    @ParameterizedTest
    @EnumSource(TerminalDialect.class)
    void mutatedRequestsCarryingAValidMacAreAnsweredOnceAndTheJournalAgreesWithTheIssuer(TerminalDialect dialect)
            throws IOException {
        IssuedCard card = card();
        TerminalSide terminal = fixture.signedOn(dialect, 2);
        IsoMessage purchase = terminal.pinPurchase(card, stan(), 1_000);
        IsoMessage approved = terminal.send(purchase);
        assertThat(approved.getString(39)).isEqualTo(APPROVED);

        MessageSpec spec = dialect.spec();
        List<byte[]> genuine = new ArrayList<>();
        for (IsoMessage request : genuineMessages(terminal, card, purchase, approved.getString(37))) {
            genuine.add(request.encode(spec));
        }
        SplittableRandom random = new SplittableRandom(dialect.ordinal() * 104_729L + 3);
        List<String> failures = new ArrayList<>();
        int sent = 0;
        for (int i = 0; i < MUTATIONS_PER_DIALECT; i++) {
            byte[] original = genuine.get(random.nextInt(genuine.size()));
            byte[] body = reMaced(terminal, ByteDamage.damage(original, random));
            if (body == null) {
                continue;
            }
            sent++;
            for (IsoMessage answer : answersTo(terminal, body)) {
                if (SYSTEM_ERROR.equals(answer.getString(39))) {
                    failures.add(answer.mti() + " answered 96 to " + HexBytes.of(body));
                }
            }
        }

        assertThat(sent).as("mutations that decoded and were sent").isGreaterThan(MUTATIONS_PER_DIALECT / 10);
        assertThat(failures).isEmpty();
        assertThat(terminal.send(terminal.pinPurchase(card, stan(), 500)).getString(39)).isEqualTo(APPROVED);
        assertThat(fixture.issuer().bank().conservationViolations()).isEmpty();
        assertThat(IssuerAudit.differences(fixture, dir)).isEmpty();
    }

    /**
     * The mutated body MACed under the terminal's key, or null when it no longer decodes, or names
     * the terminal's own session (sign-on, key exchange, settlement, batch upload: what only the
     * terminal's own software sends, and which would change the keys or batch this test goes on with).
     */
    private static byte[] reMaced(TerminalSide terminal, byte[] mutated) {
        IsoMessage message;
        try {
            message = IsoMessage.decode(terminal.dialect().spec(), mutated);
        } catch (IsoCodecException e) {
            return null;
        }
        char messageClass = message.mti().charAt(1);
        if (messageClass == '8' || messageClass == '5' || messageClass == '3') {
            return null;
        }
        try {
            return terminal.signed(message);
        } catch (IsoCodecException e) {
            return null;
        }
    }

    private long approvedRows() {
        return fixture.journal().all().stream().filter(row -> "APPROVED".equals(row.state())).count();
    }

    /** Each kind of request the terminal sends, MACed, as bodies (after the length header and prefix). */
    private List<byte[]> genuineRequests(TerminalSide terminal, IssuedCard card, IsoMessage purchase, String rrn) {
        List<byte[]> bodies = new ArrayList<>();
        for (IsoMessage message : genuineMessages(terminal, card, purchase, rrn)) {
            bodies.add(terminal.signed(message));
        }
        return bodies;
    }

    /** Each kind of financial request the terminal sends, referring to {@code purchase} where it refers to one. */
    private List<IsoMessage> genuineMessages(TerminalSide terminal, IssuedCard card, IsoMessage purchase, String rrn) {
        TerminalRequests requests = terminal.requests();
        TerminalRequests.Card read = SwitchFixture.read(card);
        String purchaseStan = purchase.getString(11);
        List<IsoMessage> messages = new ArrayList<>(List.of(
                terminal.pinPurchase(card, stan(), 2_000),
                requests.balanceInquiry(read, terminal.pinBlock(card.pin(), card.account().pan()), stan()),
                requests.preAuthorization(read, terminal.pinBlock(card.pin(), card.account().pan()), stan(), 3_000),
                requests.refund(read, stan(), 400, rrn),
                requests.purchaseVoid(read, stan(), 1_000, rrn, purchaseStan),
                terminal.dialect().cup() ? TerminalRequests.unionPayReversalOf(purchase) : TerminalRequests.reversalOf(purchase, stan()),
                requests.completionAdvice(read, stan(), 1_000, rrn, "123456", purchaseStan),
                requests.completion(read, stan(), 1_000, rrn, "123456", purchaseStan),
                requests.preAuthVoid(read, stan(), 1_000, rrn, "123456", purchaseStan),
                requests.completionVoid(read, stan(), 1_000, rrn, "123456", purchaseStan)));
        if (terminal.dialect() != TerminalDialect.ISO87_ASCII) {
            // a chip purchase: field 55's BER-TLV damaged must be 30 (switch.icc.malformed), never 96
            IsoMessage chip = terminal.pinPurchase(card, stan(), 2_500);
            chip.set(55, java.util.HexFormat.of().parseHex("82021980" + "95050000008000" + "9F2608" + "1122334455667788"
                    + "9F270180" + "9F36020041" + "9F370411223344" + "9F1081" + "07" + "06010A03A00000"));
            messages.add(chip);
        }
        return messages;
    }

    /**
     * Sends {@code body} and returns the answers it got (none or one): an echo sent behind it proves
     * the switch has read it; once nothing is in flight, a second echo's answer closes the window,
     * since a connection's answers leave in the order they were written.
     */
    private List<IsoMessage> answersTo(TerminalSide terminal, byte[] body) throws IOException {
        List<IsoMessage> answers = new ArrayList<>();
        terminal.client().sendRaw(body);
        collectUntilEcho(terminal, answers);
        await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(30)).until(() -> inFlight() == 0);
        collectUntilEcho(terminal, answers);
        assertThat(answers).as("answers to one frame").hasSizeLessThanOrEqualTo(1);
        return answers;
    }

    private void collectUntilEcho(TerminalSide terminal, List<IsoMessage> answers) throws IOException {
        String echoStan = stan();
        IsoMessage echo = terminal.dialect().cup()
                ? new IsoMessage("0820").set(11, echoStan).set(41, terminal.terminalId()).set(42, SwitchFixture.MERCHANT)
                        .set(60, "00" + terminal.batch() + "301")
                : new IsoMessage("0800").set(11, echoStan).set(41, terminal.terminalId()).set(70, "301");
        terminal.client().sendRaw(echo.encode(terminal.dialect().spec()));
        while (true) {
            IsoMessage answer = IsoMessage.decode(terminal.dialect().spec(), terminal.client().readBody());
            if (ECHO_ANSWERS.contains(answer.mti()) && echoStan.equals(answer.getString(11))) {
                assertThat(answer.getString(39)).isEqualTo(APPROVED);
                return;
            }
            answers.add(answer);
        }
    }

    private static final Set<String> ECHO_ANSWERS = Set.of("0810", "0830");

    private double inFlight() {
        return fixture.node().registry().get(SwitchMetrics.IN_FLIGHT).gauge().value();
    }

    /** Answers that say money moved when approved: everything but network management. */
    private static boolean movesMoney(String answerMti) {
        return answerMti.charAt(1) != '8';
    }

    /** Whether the mutation left the message as it was (the same bytes, or a hex digit's case in a hex-coded MAC). */
    private static boolean sameMessage(TerminalDialect dialect, byte[] mutated, byte[] original) {
        if (Arrays.equals(mutated, original)) {
            return true;
        }
        try {
            return IsoMessage.decode(dialect.spec(), mutated).equals(IsoMessage.decode(dialect.spec(), original));
        } catch (IsoCodecException e) {
            return false;
        }
    }

    /** Uppercase hex, for a failure message a reader can paste into {@code iso-switch decode}. */
    private static final class HexBytes {
        static String of(byte[] bytes) {
            return java.util.HexFormat.of().withUpperCase().formatHex(bytes).toUpperCase(Locale.ROOT);
        }
    }
}
