package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.testing.IssuerAudit;
import io.isoswitch.core.testing.IssuerSimulator;
import io.isoswitch.core.testing.JournalRows;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import io.isoswitch.sim.issuer.ResponseCode;
import io.isoswitch.sim.ledger.EntryKind;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The issuer's approvals other than 00, in each dialect over real TCP, reconciled with the issuer's
 * ledger as {@code iso-switch audit} does. A partial approval (10) is reversed to the issuer for the
 * amount it approved and declined 51 to the terminal (docs/transactions.md); a VIP approval (11)
 * is a full approval the terminal hears as 00. Run on each journal database by a subclass.
 */
abstract class IssuerApprovalCodesScenarios extends EndToEndScenarios {
    private static final long OPENING = IssuerSimulator.OPENING_BALANCE_MINOR;

    @Override
    SwitchFixture.Options options(SwitchFixture.Options defaults) {
        return defaults.withCards(20);
    }

    @AfterEach
    void approveAsUsual() {
        fixture.issuer().bank().setPartialApprovals(false);
        fixture.issuer().bank().setFullApprovalCode(ResponseCode.APPROVED);
    }

    private static IsoMessage purchase(TerminalSide terminal, IssuedCard card, String stan, long amountMinor) {
        return terminal.requests().purchase(SwitchFixture.read(card), terminal.pinBlock(card.pin(), card.account().pan()), stan,
                amountMinor);
    }

    private static IsoMessage preAuthorization(TerminalSide terminal, IssuedCard card, String stan, long amountMinor) {
        return terminal.requests().preAuthorization(SwitchFixture.read(card), terminal.pinBlock(card.pin(), card.account().pan()),
                stan, amountMinor);
    }

    /**
     * Regression: a partial approval was journaled APPROVED for the whole amount asked and passed to
     * the terminal as 10, so the merchant was settled 1 000.00 of which the cardholder paid 400.00.
     */
    @ParameterizedTest
    @EnumSource(TerminalDialect.class)
    void aPartialApprovalIsReversedForWhatTheIssuerApprovedAndDeclined51(TerminalDialect dialect) throws IOException {
        TerminalSide terminal = fixture.signedOn(dialect, 1);
        IssuedCard card = card();
        assertThat(terminal.send(purchase(terminal, card, stan(), OPENING - 40_000)).getString(39)).isEqualTo("00");
        fixture.issuer().bank().setPartialApprovals(true);

        String stan = stan();
        IsoMessage answer = terminal.send(purchase(terminal, card, stan, 100_000));

        assertThat(answer.getString(39)).isEqualTo("51");
        assertThat(answer.has(38)).as("no authorization code for a decline").isFalse();
        assertThat(fixture.issuer().entries(EntryKind.DEBIT)).as("the issuer booked what was available")
                .anyMatch(e -> e.amountMinor() == 40_000);
        // store-and-forward delivers the reversal of the 400.00 the issuer approved
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> fixture.journal().find(terminal.terminalId(), stan).orElseThrow().state().equals("REVERSED"));
        assertThat(fixture.issuer().available(card)).isEqualTo(40_000);
        JournalRows.Row row = fixture.journal().find(terminal.terminalId(), stan).orElseThrow();
        assertThat(row.responseCode()).isEqualTo("51");
        assertThat(row.authCode()).isNull();
        assertThat(answer.getString(37)).as("the record's RRN, as on any issuer decline").isEqualTo(row.switchRrn());
        // a repeat hears the same decline, same RRN, and moves nothing
        IsoMessage repeat = terminal.send(purchase(terminal, card, stan, 100_000));
        assertThat(repeat.getString(39)).isEqualTo("51");
        assertThat(repeat.getString(37)).isEqualTo(answer.getString(37));
        assertThat(fixture.issuer().available(card)).isEqualTo(40_000);
        assertThat(fixture.issuer().bank().conservationViolations()).isEmpty();
        assertThat(IssuerAudit.differences(fixture, dir)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(TerminalDialect.class)
    void aPartiallyApprovedPreAuthorizationHasItsHoldReleased(TerminalDialect dialect) throws IOException {
        TerminalSide terminal = fixture.signedOn(dialect, 1);
        IssuedCard card = card();
        assertThat(terminal.send(purchase(terminal, card, stan(), OPENING - 25_000)).getString(39)).isEqualTo("00");
        fixture.issuer().bank().setPartialApprovals(true);

        String stan = stan();
        assertThat(terminal.send(preAuthorization(terminal, card, stan, 60_000)).getString(39)).isEqualTo("51");

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> fixture.journal().find(terminal.terminalId(), stan).orElseThrow().state().equals("REVERSED"));
        assertThat(fixture.issuer().available(card)).isEqualTo(25_000);
        assertThat(IssuerAudit.differences(fixture, dir)).isEmpty();
    }

    /**
     * Regression: a VIP approval reached the terminal as 11, which terminals that know only 00 take
     * for a decline; 08 (honour with identification) and 16 (approved, update track 3) were
     * journaled as declines while the issuer had debited the card.
     */
    @ParameterizedTest
    @MethodSource("fullApprovalsThatSayMore")
    void aFullApprovalThatSaysMoreIsAnApprovalTheTerminalHearsAs00(TerminalDialect dialect, ResponseCode code) throws IOException {
        TerminalSide terminal = fixture.signedOn(dialect, 1);
        IssuedCard card = card();
        fixture.issuer().bank().setFullApprovalCode(code);
        String stan = stan();

        IsoMessage answer = terminal.send(purchase(terminal, card, stan, 12_345));

        assertThat(answer.getString(39)).isEqualTo("00");
        assertThat(answer.has(38)).isTrue();
        JournalRows.Row row = fixture.journal().find(terminal.terminalId(), stan).orElseThrow();
        assertThat(row.state()).isEqualTo("APPROVED");
        assertThat(row.responseCode()).isEqualTo("00");
        assertThat(row.amountMinor()).isEqualTo(12_345);
        assertThat(terminal.send(purchase(terminal, card, stan, 12_345)).getString(39)).as("a repeat").isEqualTo("00");
        assertThat(fixture.issuer().available(card)).isEqualTo(OPENING - 12_345);
        assertThat(IssuerAudit.differences(fixture, dir)).isEmpty();
    }

    static Stream<Arguments> fullApprovalsThatSayMore() {
        return Arrays.stream(TerminalDialect.values()).flatMap(dialect -> Stream.of(
                ResponseCode.VIP_APPROVAL, ResponseCode.HONOUR_WITH_IDENTIFICATION, ResponseCode.APPROVED_UPDATE_TRACK_3)
                .map(code -> Arguments.of(dialect, code)));
    }
}
