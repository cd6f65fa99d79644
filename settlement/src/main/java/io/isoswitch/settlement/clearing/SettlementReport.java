package io.isoswitch.settlement.clearing;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * The result of settling a date, the same however often it is asked for.
 *
 * @param settlementDate the date settled
 * @param transactions   journal rows the run settled (every resolved row, money-moving or not)
 * @param corrections    of those, rows of earlier business dates (late rows of dates already settled)
 * @param settledAt      when the run committed
 * @param merchants      per merchant and currency, ordered by merchant then currency
 * @param alreadySettled true when this call found the date settled before and changed nothing
 */
public record SettlementReport(LocalDate settlementDate, long transactions, long corrections, Instant settledAt,
                               List<MerchantTotals> merchants, boolean alreadySettled) {
    public SettlementReport {
        Objects.requireNonNull(settlementDate, "settlementDate");
        Objects.requireNonNull(settledAt, "settledAt");
        merchants = List.copyOf(merchants);
    }

    /** The same report, as it reads to a caller that found it already settled. */
    SettlementReport asAlreadySettled() {
        return new SettlementReport(settlementDate, transactions, corrections, settledAt, merchants, true);
    }
}
