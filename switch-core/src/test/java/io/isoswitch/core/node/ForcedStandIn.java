package io.isoswitch.core.node;

import static org.awaitility.Awaitility.await;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.JournalRows;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalSide;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;

/** The issuer forced into stand-in by operations, and what the card's stand-in approvals count. */
final class ForcedStandIn {
    private ForcedStandIn() {}

    /**
     * Operations force the issuer into stand-in (a flag every node reads from the journal database);
     * returns once {@code terminal}'s node follows it, within its refresh: {@code probe} of a fresh
     * STAN from {@code stans} (a request of another card) is approved in stand-in.
     */
    static void force(SwitchFixture fixture, JournalBackend backend, TerminalSide terminal, Supplier<String> stans,
                      Function<String, IsoMessage> probe) {
        backend.execute("INSERT INTO forced_stand_in (issuer_id, forced, changed_by, changed_at) VALUES ('" + SwitchFixture.ISSUER
                + "', TRUE, 'test', CURRENT_TIMESTAMP)");
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            String probeStan = stans.get();
            terminal.send(probe.apply(probeStan));
            return fixture.journal().find(terminal.terminalId(), probeStan).map(JournalRows.Row::state).orElse("")
                    .equals("STAND_IN_APPROVED");
        });
    }

    /**
     * The day's count of {@code transactionType} (PURCHASE, STAND_IN, ...) of the card of
     * {@code terminalId}'s record under {@code stan}.
     */
    static long cardCount(JournalBackend backend, String transactionType, String terminalId, String stan) throws SQLException {
        try (Connection c = backend.connect(); PreparedStatement s = c.prepareStatement("SELECT COALESCE(SUM(txn_count), 0)"
                + " FROM limit_counter WHERE key_kind = 'CARD' AND transaction_type = ? AND key_value ="
                + " (SELECT encode(pan_token, 'hex') FROM journal WHERE terminal_id = ? AND stan = ? AND mti_class NOT LIKE '9%')")) {
            s.setString(1, transactionType);
            s.setString(2, terminalId);
            s.setString(3, stan);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
