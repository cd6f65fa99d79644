package io.isoswitch.settlement.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.settlement.Backend;
import io.isoswitch.settlement.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An increment finds its request's share held (an earlier attempt's), a give-back of that attempt
 * deletes it before the increment can take it over, and another attempt of the same request writes
 * it again (and counts it) before the increment writes it anew. The increment must take that share
 * over, not count a second time against one share. The interleaving is played by a trigger on the
 * increment's own inserts (PostgreSQL: a trigger that skips its row and writes the others' rows).
 */
class LimitCountersShareTakenAgainMeanwhilePostgresTest {
    private static final String REQUEST = "T0000001|000777|2026-11-26|020";

    /** Regression: the increment's second write of the share failed unnoticed and it counted again: the card one purchase too high. */
    @Test
    void aShareGivenBackAndTakenAgainBetweenTheIncrementsStatementsIsTakenOverNotCountedTwice() throws Exception {
        try (TestDatabase db = TestDatabase.open(Backend.POSTGRESQL)) {
            try (Connection c = db.directConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE race_step (n INT NOT NULL)");
                s.execute("INSERT INTO race_step VALUES (0)");
                s.execute("CREATE FUNCTION race() RETURNS trigger AS $$ DECLARE step INT; BEGIN"
                        + " IF NEW.contributor <> '" + REQUEST + "' THEN RETURN NEW; END IF;"
                        + " UPDATE race_step SET n = n + 1 RETURNING n INTO step;"
                        // the increment's first write: the share is there; the earlier attempt's give-back deletes it meanwhile
                        + " IF step = 2 THEN DELETE FROM limit_contribution WHERE key_value = NEW.key_value AND contributor = NEW.contributor;"
                        + "  UPDATE limit_counter SET txn_count = txn_count - 1, amount_minor = amount_minor - NEW.amount_minor"
                        + "   WHERE key_value = NEW.key_value; RETURN NULL;"
                        // its second write: another attempt of the request has written it again and counted it meanwhile
                        + " ELSIF step = 3 THEN INSERT INTO limit_contribution SELECT NEW.*;"
                        + "  UPDATE limit_counter SET txn_count = txn_count + 1, amount_minor = amount_minor + NEW.amount_minor"
                        + "   WHERE key_value = NEW.key_value; RETURN NULL;"
                        + " END IF; RETURN NEW; END $$ LANGUAGE plpgsql");
                s.execute("CREATE TRIGGER race BEFORE INSERT ON limit_contribution FOR EACH ROW EXECUTE FUNCTION race()");
            }
            LimitCounters counters = new LimitCounters(db.database(), Clock.systemUTC());
            CounterKey card = new CounterKey(CounterKind.CARD, "card-token-777", LocalDate.of(2026, 11, 26), "PURCHASE", "156");
            CounterIncrement share = new CounterIncrement(card, 2_500, new CounterLimit(5, 100_000), REQUEST);
            assertThat(counters.tryIncrement(List.of(share)).join()).as("the first attempt").isEqualTo(new LimitDecision.Accepted(List.of()));

            assertThat(counters.tryIncrement(List.of(share)).join()).as("the increment, the share taken again meanwhile")
                    .isEqualTo(new LimitDecision.Accepted(List.of(share)));
            assertThat(counters.current(card).join()).as("one share, counted once").contains(new CounterValue(1, 2_500));
            assertThat(db.queryLong("SELECT COUNT(*) FROM limit_contribution")).isEqualTo(1);
        }
    }
}
