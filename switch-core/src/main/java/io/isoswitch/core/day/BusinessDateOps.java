package io.isoswitch.core.day;

import io.isoswitch.core.ops.OpsCommands;
import io.isoswitch.core.ops.OpsEndpoint;
import io.isoswitch.core.ops.OpsResponse;
import io.isoswitch.settlement.calendar.BusinessDay;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * The business date's faces on the ops port: the gauge {@code switch.business.date} (yyyymmdd)
 * and {@code POST /ops/cutover[?from=yyyy-mm-dd]}, behind the ops token, which closes the named
 * (default: current) business date now. The endpoint runs on an event loop, so it only hands the
 * cutover to the business day's own thread and answers 202; the gauge shows the outcome. A date
 * after this node's current one is refused 409 (not begun, as {@code iso-switch cutover} exits 3),
 * one before it answered 200 (closed already, nothing to do), and one after the date the schedule
 * says is current now 409 too: closed early once, the date is a day ahead already, and a retried
 * command must not move it on again.
 */
public final class BusinessDateOps {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BusinessDateOps.class);
    public static final String GAUGE = "switch.business.date";
    public static final String PATH = "/ops/cutover";

    private BusinessDateOps() {
    }

    /** The business date as a number, 20261126 for 2026-11-26. */
    static double yyyymmdd(LocalDate date) {
        return date.getYear() * 10_000 + date.getMonthValue() * 100 + date.getDayOfMonth();
    }

    public static void registerGauge(MeterRegistry registry, BusinessDay day) {
        Gauge.builder(GAUGE, day, d -> yyyymmdd(d.get())).description("The business date new transactions get, as yyyymmdd")
                .register(registry);
    }

    public static OpsEndpoint cutoverEndpoint(String token, BusinessDay day, String nodeId) {
        return cutoverEndpoint(token, day, nodeId, () -> true);
    }

    /** @param databaseReachable false while this node cannot reach the database: the cutover is refused 503 */
    public static OpsEndpoint cutoverEndpoint(String token, BusinessDay day, String nodeId,
                                              java.util.function.BooleanSupplier databaseReachable) {
        return OpsCommands.protectedBy(token, request -> {
            String from = request.query().get("from");
            LocalDate closing;
            try {
                closing = from == null ? day.get() : LocalDate.parse(from);
            } catch (DateTimeParseException e) {
                return OpsResponse.text(400, "from: expected a date such as 2026-11-26\n");
            }
            // the node's date never runs ahead of the shared calendar's, so these two are certain
            // here, and the operator hears them instead of a 202 for a refusal only the log saw
            LocalDate current = day.get();
            if (closing.isAfter(current)) {
                return OpsResponse.text(409, "business date " + closing + " has not begun: the current business date is "
                        + current + "\n");
            }
            if (closing.isBefore(current)) {
                return OpsResponse.text(200, "business date " + closing + " is closed already (the current business date is "
                        + current + "): nothing to do\n");
            }
            LocalDate scheduled = day.scheduledDate();
            if (closing.isAfter(scheduled)) {
                // closed ahead of its day already once: a retried command would move the date on each time
                return OpsResponse.text(409, "business date " + closing + " is not to close before its own day: the scheduled"
                        + " business date now is " + scheduled + " (" + closing + " closes at its scheduled cutover, "
                        + day.scheduledEndOf(closing) + ")\n");
            }
            if (!databaseReachable.getAsBoolean()) {
                return OpsCommands.databaseUnreachable();
            }
            day.closeEarly(closing, "ops:" + nodeId).whenComplete((result, failure) -> {
                if (failure != null) {
                    LOG.warn("cutover of business date {} refused: {}", closing, failure.getMessage());
                }
            });
            return OpsResponse.text(202, "closing business date " + closing + "; " + GAUGE + " shows the new date\n");
        });
    }
}
