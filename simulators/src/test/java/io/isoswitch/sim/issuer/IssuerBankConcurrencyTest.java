package io.isoswitch.sim.issuer;

import static io.isoswitch.sim.issuer.Fixtures.CLOCK;
import static io.isoswitch.sim.issuer.Fixtures.card;
import static io.isoswitch.sim.issuer.Fixtures.purchase;
import static io.isoswitch.sim.issuer.Fixtures.reversal;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class IssuerBankConcurrencyTest {
    static final String PAN = "4111111111111111";

    @Test
    void repeatsAndReversalsRacingFromManyThreadsMoveMoneyOnce() throws Exception {
        IssuerBank bank = new IssuerBank("race", List.of(card("ACC1", PAN, 1_000_000)), IssuerPolicy.defaults(), CLOCK);
        int purchases = 200;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            for (int thread = 0; thread < 4; thread++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int stan = 1; stan <= purchases; stan++) {
                        bank.authorize(purchase(stan, PAN, 100)); // every thread sends every purchase
                        if (stan % 2 == 0) {
                            bank.authorize(reversal(100_000 + stan, PAN, 100, MessageClass.FINANCIAL, stan));
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        }

        assertThat(bank.balance("ACC1").balanceMinor()).isEqualTo(1_000_000 - purchases / 2 * 100);
        assertThat(bank.snapshot().entries()).hasSize(purchases + purchases / 2);
        assertThat(bank.conservationViolations()).isEmpty();
    }
}
