package io.isoswitch.sim.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.sim.card.CardAccount;
import io.isoswitch.sim.card.CardStatus;
import io.isoswitch.sim.card.IssuedCard;
import io.isoswitch.sim.card.PinVerificationData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TerminalFleetTest {
    final PosTerminalTest kit = new PosTerminalTest();

    @Test
    void aFleetMakesEveryPlannedTransactionRecoveringFromLostConnectionsAndRetiredKeys() {
        IssuedCard card = new IssuedCard(new CardAccount("ACC1", PosTerminalTest.CARD.pan(), PosTerminalTest.CARD.expiry(),
                "201", PinVerificationData.pvv(1, "0000"), PosTerminalTest.CARD.cvv(), 0, 978, CardStatus.ACTIVE),
                PosTerminalTest.CARD.pin());
        try (ScriptedSwitch peer = kit.scriptedSwitch(TerminalDialect.ISO87_ASCII)) {
            peer.codeByAmount.put(13L, "51");
            peer.codeByAmount.put(14L, "58"); // keys retired: the terminal signs on again
            peer.dropAmounts.add(17L); // once: the connection is cut mid-transaction
            List<TerminalConfig> terminals = new ArrayList<>();
            for (int i = 1; i <= 4; i++) {
                terminals.add(TerminalConfig.of("127.0.0.1", peer.port(), TerminalDialect.ISO87_ASCII,
                        String.format(Locale.ROOT, "TERM%04d", i), "MERCHANT0000001", 978, kit.terminalHsm,
                        PosTerminalTest.tmk(kit.terminalHsm)).withTimeout(Duration.ofSeconds(10)));
            }
            AtomicLong lastProgress = new AtomicLong();

            FleetReport report = TerminalFleet.run(terminals, List.of(card),
                    new FleetPlan(25, 60, 10, 10, 10, 10, 10, 20, 7), n -> lastProgress.accumulateAndGet(n, Math::max));

            assertThat(report.errors()).isZero();
            assertThat(report.transactions()).isEqualTo(100);
            assertThat(lastProgress.get()).isEqualTo(100);
            assertThat(report.byResponseCode().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(100);
            assertThat(report.byResponseCode()).containsKey("00").containsKey("51").containsKey("58");
            assertThat(peer.dropAmounts).isEmpty();
            assertThat(report.byOutcome()).containsOnlyKeys(TerminalResult.Outcome.ANSWERED,
                    TerminalResult.Outcome.CONNECTION_LOST);
            assertThat(report.byOutcome().get(TerminalResult.Outcome.CONNECTION_LOST)).isEqualTo(1);
            assertThat(peer.received).filteredOn(m -> m.mti().equals("0400") && "98".equals(m.getString(39))).hasSize(1);
            long signOns = peer.received.stream().filter(m -> "001".equals(m.getString(70))).count();
            // one sign-on each, plus one before the next transaction after every 58 (none after a last one)
            assertThat(signOns).isBetween(5L, 4 + report.byResponseCode().get("58"));
            assertThat(report.latency().getTotalCount()).isEqualTo(100);
            assertThat(report.describe()).contains("100 transactions").contains("p99");
            assertThat(peer.problems).isEmpty();
            assertThat(peer.received.stream().map(m -> m.getString(41)).distinct()).hasSize(4);
        }
    }
}
