package io.isoswitch.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.settlement.journal.CommitListener;
import io.isoswitch.settlement.journal.JournalRequest;
import io.isoswitch.settlement.journal.JournalSettings;
import io.isoswitch.settlement.journal.Outcome;
import io.isoswitch.settlement.journal.SentResult;
import io.isoswitch.settlement.journal.TransactionState;
import java.time.Clock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SettlementTest extends BothDatabases {

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aPurchaseGoesSentThenApprovedAndItsRepeatIsAnsweredFromTheJournal(Backend backend) {
        try (Settlement settlement = Settlement.open(on(backend).config(), JournalSettings.defaults(), CommitListener.NONE,
                Clock.systemUTC())) {
            JournalRequest purchase = Requests.purchase("node-a", Requests.newTerminalId(), "000042", 1_999, "issuer-a");
            SentResult sent = settlement.journal().recordSent(purchase).join();
            settlement.journal().recordOutcome(sent.entry().id(), Outcome.approved("AUTH01")).join();
            SentResult repeat = settlement.journal().recordSent(purchase).join();

            assertThat(repeat).isInstanceOf(SentResult.Duplicate.class);
            assertThat(repeat.entry().state()).isEqualTo(TransactionState.APPROVED);
            assertThat(repeat.entry().outcome().authCode()).isEqualTo("AUTH01");
            assertThat(settlement.reader().findByKey(purchase.key()).join()).contains(repeat.entry());
        }
    }
}
