package io.isoswitch.settlement.journal;

import static io.isoswitch.settlement.Requests.purchase;
import static io.isoswitch.settlement.Requests.stan;
import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.settlement.Backend;
import io.isoswitch.settlement.BothDatabases;
import io.isoswitch.settlement.Requests;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JournalReaderTest extends BothDatabases {
    private JournalReader reader(Backend backend) {
        return new JournalReader(on(backend).database());
    }

    private Journal journal(Backend backend) {
        return new Journal(on(backend).database(), JournalSettings.defaults(), CommitListener.NONE, Clock.systemUTC());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void findsARecordByItsIdempotencyKeyAndNothingForAnotherClass(Backend backend) {
        try (Journal journal = journal(backend)) {
            JournalRequest request = purchase("node-a", Requests.newTerminalId(), stan(11), 100, "issuer-a");
            UUID id = journal.recordSent(request).join().entry().id();

            assertThat(reader(backend).findByKey(request.key()).join()).map(JournalEntry::id).contains(id);
            IdempotencyKey reversalKey = new IdempotencyKey(request.terminalId(), request.stan(), request.transactionDate(), "040");
            assertThat(reader(backend).findByKey(reversalKey).join()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void findsARecordUnderTheSameKeyOnTheNewestEarlierDateWithinTheWindowOnly(Backend backend) {
        try (Journal journal = journal(backend)) {
            String terminal = Requests.newTerminalId();
            JournalRequest today = purchase("node-a", terminal, stan(31), 700, "issuer-a");
            LocalDate date = today.transactionDate();
            UUID yesterday = journal.recordSent(keyedOn(today, date.minusDays(1))).join().entry().id();
            journal.recordSent(keyedOn(today, date.minusDays(2))).join();
            journal.recordSent(keyedOn(today, date.minusDays(5))).join();
            journal.recordSent(keyedOn(Requests.purchase("node-a", terminal, stan(32), 700, "issuer-a"), date.minusDays(1))).join();
            journal.recordSent(keyedOn(Requests.balanceInquiry("node-a", terminal, stan(33), "issuer-a"), date.minusDays(1))).join();

            assertThat(reader(backend).findByKeyOnEarlierDates(today.key(), date.minusDays(2)).join())
                    .map(JournalEntry::id).contains(yesterday);
            assertThat(reader(backend).findByKeyOnEarlierDates(
                    new IdempotencyKey(terminal, stan(31), date.minusDays(3), "020"), date.minusDays(4)).join())
                    .as("nothing on the dates of the window").isEmpty();
            assertThat(reader(backend).findByKeyOnEarlierDates(
                    new IdempotencyKey(terminal, stan(33), date, "020"), date.minusDays(2)).join())
                    .as("another message class").isEmpty();
        }
    }

    /** {@code request} keyed by {@code date}. */
    private static JournalRequest keyedOn(JournalRequest r, LocalDate date) {
        return new JournalRequest(r.nodeId(), date, r.terminalId(), r.merchantId(), r.stan(), date, r.mti(), r.localTime(),
                r.transactionType(), r.processingCode(), r.amountMinor(), r.currency(), r.card(), r.issuer(), r.originalId());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void findsTheOriginalOfAReversalByTerminalStanDateAndAmount(Backend backend) {
        try (Journal journal = journal(backend)) {
            String terminal = Requests.newTerminalId();
            UUID original = journal.recordSent(purchase("node-a", terminal, stan(21), 4_200, "issuer-a")).join().entry().id();
            journal.recordResolved(Requests.request("node-a", terminal, stan(21), "0400", "REVERSAL", "000000", 4_200, "issuer-a"),
                    Outcome.approved(null), null).join();

            assertThat(reader(backend).findOriginal(terminal, stan(21), Requests.BUSINESS_DATE, 4_200).join())
                    .map(JournalEntry::id).contains(original);
            assertThat(reader(backend).findOriginal(terminal, stan(21), Requests.BUSINESS_DATE, 4_201).join()).isEmpty();
            assertThat(reader(backend).findOriginal(terminal, stan(22), Requests.BUSINESS_DATE, 4_200).join()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void findsTheOriginalOfAVoidByItsRrnAtItsTerminalAndWhatIsLinkedToIt(Backend backend) {
        try (Journal journal = journal(backend)) {
            String terminal = Requests.newTerminalId();
            JournalRequest purchase = purchase("node-a", terminal, stan(41), 900, "issuer-a");
            UUID original = journal.recordSent(purchase).join().entry().id();
            String rrn = purchase.issuer().switchRrn();
            JournalRequest refund = Requests.request("node-a", terminal, stan(42), "0200", "REFUND", "200000", 300, "issuer-a")
                    .withOriginalId(original);
            UUID linked = journal.recordResolved(refund, Outcome.approved("000001"), null).join().entry().id();

            assertThat(reader(backend).findByRrn(terminal, rrn).join()).map(JournalEntry::id).contains(original);
            assertThat(reader(backend).findByRrn(Requests.newTerminalId(), rrn).join()).isEmpty();
            assertThat(reader(backend).findLinked(original).join()).extracting(JournalEntry::id).containsExactly(linked);
            assertThat(reader(backend).findLinked(linked).join()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void findsOnlyThisNodesUnansweredRecords(Backend backend) {
        try (Journal journal = journal(backend)) {
            String node = "reader-" + backend.name().toLowerCase(java.util.Locale.ROOT);
            String terminal = Requests.newTerminalId();
            UUID unanswered = journal.recordSent(purchase(node, terminal, stan(1), 1, "issuer-a")).join().entry().id();
            UUID answered = journal.recordSent(purchase(node, terminal, stan(2), 1, "issuer-a")).join().entry().id();
            journal.recordOutcome(answered, Outcome.declined("51")).join();
            journal.recordSent(purchase("other-node", terminal, stan(3), 1, "issuer-a")).join();

            assertThat(reader(backend).findUnanswered(node, Instant.now().plusSeconds(1)).join())
                    .extracting(JournalEntry::id).containsExactly(unanswered);
            assertThat(reader(backend).findUnanswered(node, Instant.now().minusSeconds(3_600)).join()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void listsARecordsBusinessDateOldestFirst(Backend backend) {
        try (Journal journal = journal(backend)) {
            JournalRequest base = purchase("node-a", Requests.newTerminalId(), stan(31), 1, "issuer-a");
            java.time.LocalDate otherDay = java.time.LocalDate.of(2031, 1, 2);
            JournalRequest first = new JournalRequest(base.nodeId(), otherDay, base.terminalId(), base.merchantId(),
                    stan(31), otherDay, base.mti(), base.localTime(), base.transactionType(), base.processingCode(), 10,
                    base.currency(), base.card(), base.issuer(), null);
            UUID firstId = journal.recordSent(first).join().entry().id();
            JournalRequest second = new JournalRequest(base.nodeId(), otherDay, base.terminalId(), base.merchantId(),
                    stan(32), otherDay, base.mti(), base.localTime(), base.transactionType(), base.processingCode(), 20,
                    base.currency(), base.card(), base.issuer(), null);
            UUID secondId = journal.recordSent(second).join().entry().id();

            assertThat(reader(backend).findByBusinessDate(otherDay).join()).extracting(JournalEntry::id)
                    .containsExactly(firstId, secondId);
        }
    }
}
