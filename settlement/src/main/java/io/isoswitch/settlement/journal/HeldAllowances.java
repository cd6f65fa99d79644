package io.isoswitch.settlement.journal;

import io.isoswitch.settlement.limits.CounterIncrement;
import io.isoswitch.settlement.limits.LimitCounters;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The stand-in allowance an approval in stand-in took is held by the node that took it until the
 * approval is recorded (so that if the node dies first, its next start gives it back): recording
 * the approval ends that, in the same transaction ({@link LimitCounters#approvedInStandIn}). One
 * more JDBC batch in a group commit that holds stand-in approvals; none in any other.
 */
final class HeldAllowances {
    private HeldAllowances() {}

    /** The requests of {@code recorded} that are approvals in stand-in: their allowances are no longer held. */
    static void approved(Connection c, List<JournalRequest> recorded) throws SQLException {
        List<CounterIncrement> allowances = new ArrayList<>();
        for (JournalRequest r : recorded) {
            if (r.card() != null) {
                IdempotencyKey k = r.key();
                allowances.add(LimitCounters.standInAllowance(r.card().panTokenHex(), r.businessDate(), r.currency(), r.amountMinor(),
                        LimitCounters.contributor(k.terminalId(), k.stan(), k.transactionDate(), k.mtiClass())));
            }
        }
        LimitCounters.approvedInStandIn(c, allowances);
    }
}
