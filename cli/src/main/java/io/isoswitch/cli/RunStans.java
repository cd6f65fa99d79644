package io.isoswitch.cli;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;

/**
 * The first STAN of one {@code iso-switch terminal} run. The switch declines (94) a STAN a terminal
 * already used that business day, and answers a repeated one from its journal, so a run that
 * started from 1 again, as each run used to, failed or silently replayed the run before it. Ten
 * STANs per second of the UTC day keep runs started a second or more apart on distinct numbers.
 */
final class RunStans {
    static final int PER_SECOND = 10;

    private RunStans() {
    }

    /** 1..863991: ten numbers for each second of the day {@code now} falls in. */
    static int firstAt(Instant now) {
        int secondOfDay = LocalTime.ofInstant(now, ZoneOffset.UTC).toSecondOfDay();
        return secondOfDay * PER_SECOND + 1;
    }
}
