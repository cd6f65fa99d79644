package io.isoswitch.sim.terminal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BatchTotalsTest {
    final BatchTotals batch = new BatchTotals();

    @Test
    void countsDebitsAndCreditsPerCurrency() {
        batch.add(BatchTotals.Side.DEBIT, 978, 1_000);
        batch.add(BatchTotals.Side.DEBIT, 978, 250);
        batch.add(BatchTotals.Side.CREDIT, 978, 300);
        batch.add(BatchTotals.Side.DEBIT, 156, 1);

        assertThat(batch.totals()).containsExactly(new CurrencyTotals(156, 1, 1, 0, 0),
                new CurrencyTotals(978, 2, 1_250, 1, 300));
        assertThat(batch.totals(978).netAmountMinor()).isEqualTo(950);
        assertThat(batch.totals(840)).isEqualTo(CurrencyTotals.zero(840));
    }

    @Test
    void aVoidTakesItsOriginalBackOut() {
        batch.add(BatchTotals.Side.DEBIT, 978, 1_000);
        batch.add(BatchTotals.Side.DEBIT, 978, 400);

        batch.remove(BatchTotals.Side.DEBIT, 978, 1_000);

        assertThat(batch.totals(978)).isEqualTo(new CurrencyTotals(978, 1, 400, 0, 0));
    }

    @Test
    void refusesToTakeBackWhatWasNeverCounted() {
        batch.add(BatchTotals.Side.DEBIT, 978, 100);

        assertThatThrownBy(() -> batch.remove(BatchTotals.Side.CREDIT, 978, 100)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> batch.remove(BatchTotals.Side.DEBIT, 840, 100)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> batch.remove(BatchTotals.Side.DEBIT, 978, 101)).isInstanceOf(IllegalStateException.class);
        assertThat(batch.totals(978)).isEqualTo(new CurrencyTotals(978, 1, 100, 0, 0));
    }

    @Test
    void clearEmptiesTheBatch() {
        batch.add(BatchTotals.Side.CREDIT, 978, 5);
        batch.clear();
        assertThat(batch.totals()).isEmpty();
    }
}
