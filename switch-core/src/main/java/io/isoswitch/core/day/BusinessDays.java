package io.isoswitch.core.day;

import io.isoswitch.core.config.SwitchConfig;
import io.isoswitch.settlement.Settlement;
import io.isoswitch.settlement.calendar.BusinessDay;
import io.isoswitch.settlement.calendar.CutoverSchedule;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts a node's {@link BusinessDay} from its configuration, storing the fee plans file first. */
public final class BusinessDays {
    private static final Logger LOG = LoggerFactory.getLogger(BusinessDays.class);

    private BusinessDays() {
    }

    /** The schedule {@code config} describes. */
    public static CutoverSchedule schedule(SwitchConfig config) {
        return new CutoverSchedule(config.settlement().cutoverLocalTime(), config.businessZoneId());
    }

    /** Blocking: at start, before terminals are served. */
    public static BusinessDay start(SwitchConfig config, Settlement settlement) {
        if (config.settlement().feePlansFile() != null) {
            var plans = FeePlanFile.read(Path.of(config.settlement().feePlansFile()));
            settlement.feePlans().replace(plans);
            LOG.info("{} fee plans stored", plans.size());
        }
        BusinessDay day = BusinessDay.start(settlement.calendar(), schedule(config),
                Duration.ofMillis(config.settlement().calendarRefreshMs()), config.nodeId());
        LOG.info("business date {} (cutover at {} {})", day.get(), config.settlement().cutoverTime(), config.businessZone());
        return day;
    }
}
