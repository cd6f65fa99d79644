package io.isoswitch.sim.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.isoswitch.sim.card.CardAccount;
import io.isoswitch.sim.card.CardStatus;
import io.isoswitch.sim.card.PinVerificationData;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.MonthDay;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerLogTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    final Ledger ledger = new Ledger(List.of(new CardAccount("ACC1", "4111111111111111", YearMonth.of(2028, 12), "201",
            PinVerificationData.pvv(1, "1234"), "123", 10_000, 978, CardStatus.ACTIVE)), CLOCK);

    static RequestReference ref(int stan, String time) {
        return new RequestReference("12345", stan, "63301000000" + stan, MonthDay.of(11, 26), time);
    }

    @Test
    void readsBackEveryBookingWithItsEntriesClassAndAnswer() throws IOException {
        Path file = dir.resolve("entries.csv");
        LedgerEntry hold = ledger.hold("ACC1", 1_000, ref(1, "100000"));
        List<LedgerEntry> captured = ledger.capture(hold.id(), 900, ref(2, null));
        try (LedgerLog log = LedgerLog.open(file)) {
            log.append(new LedgerLog.Booking("AUTHORIZATION", "00", "000001", List.of(hold)));
            log.append(new LedgerLog.Booking("FINANCIAL_ADVICE", "00", "000002", captured));
        }

        try (LedgerLog log = LedgerLog.open(file)) {
            assertThat(log.takeBookings()).containsExactly(
                    new LedgerLog.Booking("AUTHORIZATION", "00", "000001", List.of(hold)),
                    new LedgerLog.Booking("FINANCIAL_ADVICE", "00", "000002", captured));
        }
    }

    /** Its first twelve columns are the entries table's, so `audit` reads a log as it reads a dump. */
    @Test
    void isTheEntriesTableWithTheAnswersColumnsAfterIt() throws IOException {
        Path file = dir.resolve("entries.csv");
        LedgerEntry debit = ledger.debit("ACC1", 2_500, ref(7, "101010"));
        try (LedgerLog log = LedgerLog.open(file)) {
            log.append(new LedgerLog.Booking("FINANCIAL", "00", "000003", List.of(debit)));
        }
        StringWriter table = new StringWriter();
        LedgerExport.writeEntries(List.of(debit), table);

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<String> exported = table.toString().lines().toList();
        assertThat(lines.get(0)).isEqualTo(exported.get(0) + ",class,time,code,approval");
        assertThat(lines.get(1)).isEqualTo(exported.get(1) + ",FINANCIAL,101010,00,000003");
    }

    /** The cut-short line is found from the file's tail, however far back its start lies. */
    @Test
    void aCutShortLastLineLongerThanOneReadOfTheTailIsDroppedWhole() throws IOException {
        Path file = dir.resolve("entries.csv");
        LedgerEntry debit = ledger.debit("ACC1", 100, ref(1, null));
        try (LedgerLog log = LedgerLog.open(file)) {
            log.append(new LedgerLog.Booking("FINANCIAL", "00", "000001", List.of(debit)));
        }
        String complete = Files.readString(file);
        Files.writeString(file, complete + "2,".repeat(5_000));

        try (LedgerLog log = LedgerLog.open(file)) {
            assertThat(log.takeBookings()).singleElement().satisfies(b -> assertThat(b.entries()).containsExactly(debit));
        }
        assertThat(Files.readString(file)).isEqualTo(complete);
    }

    @Test
    void aLogWhoseHeaderWasCutShortStartsAgainEmpty() throws IOException {
        Path file = dir.resolve("entries.csv");
        Files.writeString(file, "id,at,account_i");
        LedgerEntry debit = ledger.debit("ACC1", 100, ref(1, null));

        try (LedgerLog log = LedgerLog.open(file)) {
            assertThat(log.takeBookings()).isEmpty();
            log.append(new LedgerLog.Booking("FINANCIAL", "00", "000001", List.of(debit)));
        }

        try (LedgerLog log = LedgerLog.open(file)) {
            assertThat(log.takeBookings()).singleElement().satisfies(b -> assertThat(b.entries()).containsExactly(debit));
        }
    }

    @Test
    void refusesAnEntriesTableWrittenAtAStopAndADamagedRowNamingItsLine() throws IOException {
        Path table = dir.resolve("table.csv");
        try (var out = Files.newBufferedWriter(table)) {
            LedgerExport.writeEntries(List.of(ledger.debit("ACC1", 100, ref(1, null))), out);
        }
        Path damaged = dir.resolve("damaged.csv");
        try (LedgerLog log = LedgerLog.open(damaged)) {
            log.append(new LedgerLog.Booking("FINANCIAL", "00", "000001", List.of(ledger.debit("ACC1", 100, ref(2, null)))));
        }
        Files.writeString(damaged, Files.readString(damaged).replace(",100,", ",1x0,"));

        assertThatThrownBy(() -> LedgerLog.open(table)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("start on a new directory");
        assertThatThrownBy(() -> LedgerLog.open(damaged)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2");
    }

    @Test
    void aReplayedLedgerHoldsWhatTheBookingsLeftAndRefusesAnEntryOutOfOrder() {
        LedgerEntry hold = ledger.hold("ACC1", 1_000, ref(1, null));
        List<LedgerEntry> captured = ledger.capture(hold.id(), 600, ref(2, null));
        LedgerEntry undone = ledger.reverse(captured.get(0).id(), ref(3, null)).orElseThrow(); // the release undone: held again
        Ledger replayed = new Ledger(List.of(new CardAccount("ACC1", "4111111111111111", YearMonth.of(2028, 12), "201",
                PinVerificationData.pvv(1, "1234"), "123", 10_000, 978, CardStatus.ACTIVE)), CLOCK);

        ledger.entries().forEach(replayed::replay);

        assertThat(replayed.balances()).isEqualTo(ledger.balances());
        assertThat(replayed.holdRemaining(hold.id())).isEqualTo(ledger.holdRemaining(hold.id())).isEqualTo(1_000);
        assertThat(replayed.isReversed(captured.get(0).id())).isTrue();
        assertThat(replayed.conservationViolations()).isEmpty();
        assertThatThrownBy(() -> replayed.replay(undone)).hasMessageContaining("expected entry 5");
    }
}
