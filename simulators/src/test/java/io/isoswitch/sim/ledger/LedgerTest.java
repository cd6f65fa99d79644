package io.isoswitch.sim.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.isoswitch.sim.card.CardAccount;
import io.isoswitch.sim.card.CardStatus;
import io.isoswitch.sim.card.PinVerificationData;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.MonthDay;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class LedgerTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);
    static final CardAccount CARD = new CardAccount("ACC1", "4111111111111111", YearMonth.of(2028, 12), "201",
            PinVerificationData.pvv(1, "1234"), "123", 10_000, 978, CardStatus.ACTIVE);

    final Ledger ledger = new Ledger(List.of(CARD), CLOCK);

    static RequestReference ref(int stan) {
        return new RequestReference("12345", stan, "633010" + String.format("%06d", stan), MonthDay.of(11, 26));
    }

    @Test
    void debitsAndCreditsMoveTheBalanceAndHoldsOnlyTheAvailable() {
        ledger.debit("ACC1", 2_500, ref(1));
        ledger.credit("ACC1", 500, ref(2));
        ledger.hold("ACC1", 1_000, ref(3));

        AccountBalance b = ledger.balance("ACC1");
        assertThat(b.balanceMinor()).isEqualTo(8_000);
        assertThat(b.heldMinor()).isEqualTo(1_000);
        assertThat(b.availableMinor()).isEqualTo(7_000);
        assertThat(ledger.conservationViolations()).isEmpty();
    }

    @Test
    void captureReleasesTheWholeHoldAndDebitsTheCapturedAmount() {
        LedgerEntry hold = ledger.hold("ACC1", 1_000, ref(1));

        List<LedgerEntry> booked = ledger.capture(hold.id(), 1_100, ref(2));

        assertThat(booked).extracting(LedgerEntry::kind).containsExactly(EntryKind.RELEASE, EntryKind.CAPTURE);
        assertThat(booked).allSatisfy(e -> assertThat(e.holdEntryId()).isEqualTo(hold.id()));
        assertThat(ledger.holdRemaining(hold.id())).isZero();
        assertThat(ledger.balance("ACC1")).isEqualTo(new AccountBalance("ACC1", 978, 10_000, 8_900, 0));
    }

    @Test
    void reversesEachKindOnceAndPointsAtWhatItReverses() {
        LedgerEntry debit = ledger.debit("ACC1", 300, ref(1));
        LedgerEntry credit = ledger.credit("ACC1", 200, ref(2));
        LedgerEntry hold = ledger.hold("ACC1", 400, ref(3));

        assertThat(ledger.reverse(debit.id(), ref(4))).get()
                .satisfies(e -> assertThat(e.kind()).isEqualTo(EntryKind.CREDIT))
                .satisfies(e -> assertThat(e.reversesEntryId()).isEqualTo(debit.id()));
        assertThat(ledger.reverse(credit.id(), ref(5))).get().extracting(LedgerEntry::kind).isEqualTo(EntryKind.DEBIT);
        assertThat(ledger.reverse(hold.id(), ref(6))).get().extracting(LedgerEntry::kind).isEqualTo(EntryKind.RELEASE);

        assertThat(ledger.reverse(debit.id(), ref(7))).isEmpty();
        assertThat(ledger.reverse(hold.id(), ref(8))).isEmpty();
        assertThat(ledger.balance("ACC1")).isEqualTo(new AccountBalance("ACC1", 978, 10_000, 10_000, 0));
        assertThat(ledger.entries()).hasSize(6);
        assertThat(ledger.conservationViolations()).isEmpty();
    }

    @Test
    void aReversalAndACapturedHoldCannotBeReversed() {
        LedgerEntry debit = ledger.debit("ACC1", 300, ref(1));
        LedgerEntry reversal = ledger.reverse(debit.id(), ref(2)).orElseThrow();
        LedgerEntry hold = ledger.hold("ACC1", 400, ref(3));
        ledger.capture(hold.id(), 400, ref(4));

        assertThat(ledger.reverse(reversal.id(), ref(5))).isEmpty();
        assertThat(ledger.reverse(hold.id(), ref(6))).isEmpty();
        assertThat(ledger.balance("ACC1").balanceMinor()).isEqualTo(9_600);
    }

    @Test
    void reversingACapturesReleaseHoldsItAgainOnceAndTheHoldCanBeCapturedAgain() {
        LedgerEntry hold = ledger.hold("ACC1", 1_000, ref(1));
        List<LedgerEntry> capture = ledger.capture(hold.id(), 900, ref(2));

        LedgerEntry heldAgain = ledger.reverse(capture.get(0).id(), ref(3)).orElseThrow();
        ledger.reverse(capture.get(1).id(), ref(3)).orElseThrow();

        assertThat(heldAgain.kind()).isEqualTo(EntryKind.HOLD);
        assertThat(heldAgain.reversesEntryId()).isEqualTo(capture.get(0).id());
        assertThat(heldAgain.holdEntryId()).isEqualTo(hold.id());
        assertThat(ledger.holdRemaining(hold.id())).isEqualTo(1_000);
        assertThat(ledger.reverse(capture.get(0).id(), ref(4))).isEmpty();
        assertThat(ledger.reverse(heldAgain.id(), ref(5))).isEmpty();
        assertThat(ledger.balance("ACC1")).isEqualTo(new AccountBalance("ACC1", 978, 10_000, 10_000, 1_000));

        ledger.capture(hold.id(), 1_000, ref(6));
        assertThat(ledger.balance("ACC1")).isEqualTo(new AccountBalance("ACC1", 978, 10_000, 9_000, 0));
        assertThat(ledger.conservationViolations()).isEmpty();
    }

    @Test
    void rejectsUnknownAccountsAndCapturingWhatIsNoHold() {
        LedgerEntry debit = ledger.debit("ACC1", 1, ref(1));
        assertThatThrownBy(() -> ledger.debit("NOPE", 1, ref(2))).hasMessageContaining("no account 'NOPE'");
        assertThatThrownBy(() -> ledger.capture(debit.id(), 1, ref(3))).hasMessageContaining("expected HOLD");
        assertThatThrownBy(() -> ledger.reverse(99, ref(4))).hasMessageContaining("entryId");
    }

    @Test
    void exportsAccountsAndEntriesAsCsvWithoutCardData() {
        LedgerEntry hold = ledger.hold("ACC1", 1_000, ref(1));
        ledger.capture(hold.id(), 900, ref(2));
        StringWriter accounts = new StringWriter();
        StringWriter entries = new StringWriter();

        LedgerExport.writeAccounts(ledger.balances(), accounts);
        LedgerExport.writeEntries(ledger.entries(), entries);

        assertThat(accounts.toString()).isEqualTo(
                "account_id,currency,opening,balance,held,available\nACC1,978,10000,9100,0,9100\n");
        assertThat(entries.toString()).isEqualTo(
                "id,at,account_id,kind,amount,currency,acquirer_id,stan,rrn,date,reverses,hold\n"
                        + "1,2026-11-26T10:00:00Z,ACC1,hold,1000,978,12345,000001,633010000001,1126,,\n"
                        + "2,2026-11-26T10:00:00Z,ACC1,release,1000,978,12345,000002,633010000002,1126,,1\n"
                        + "3,2026-11-26T10:00:00Z,ACC1,capture,900,978,12345,000002,633010000002,1126,,1\n");
    }
}
