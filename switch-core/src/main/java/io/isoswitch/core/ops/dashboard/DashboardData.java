package io.isoswitch.core.ops.dashboard;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The dashboard's JSON, built from the meter registry (live gauges) and the {@link DashboardHistory}
 * (rates and percentiles over a window). Every number on the page comes from here, and every one
 * of them is a meter the switch exports on {@code /metrics} too.
 */
public final class DashboardData {
    /** The window of the "last minute" figures. */
    static final long WINDOW_MS = 60_000;
    static final String CONNECTIONS = "switch.connections";
    static final String IN_FLIGHT = "switch.in.flight";
    static final String JOURNAL_QUEUE = "switch.journal.queue";
    static final String LINK_UP = "switch.issuer.link.up";
    static final String SIGNED_ON = "switch.issuer.connections.signed.on";
    static final String SAF_QUEUE = "switch.saf.queue";
    /**
     * The business date gauge belongs to another part of the switch; it is found by name pattern
     * so that the page shows it whatever its exact name, and "-" without it.
     */
    private static final Pattern BUSINESS_DATE = Pattern.compile("(?i).*business[._]?date.*");
    /** By its exact name: a pattern matched a name nothing registered, and the column stayed "-". */
    static final String STAND_IN = io.isoswitch.core.standin.StandIn.ACTIVE_METRIC;

    private final MeterRegistry registry;
    private final DashboardHistory history;
    private final String nodeId;

    public DashboardData(MeterRegistry registry, DashboardHistory history, String nodeId) {
        this.registry = registry;
        this.history = history;
        this.nodeId = nodeId;
    }

    /** The whole page's data, as a JSON-ready map. */
    public Map<String, Object> snapshot() {
        List<Sample> samples = history.samples();
        Sample last = samples.getLast();
        Sample windowStart = samples.getFirst();
        for (Sample s : samples) {
            if (last.epochMs() - s.epochMs() <= WINDOW_MS) {
                windowStart = s;
                break;
            }
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("nodeId", nodeId);
        data.put("time", last.epochMs());
        data.put("intervalMs", history.interval().toMillis());
        data.put("businessDate", businessDate());
        data.put("series", series(samples));
        data.put("totals", Map.of("transactions", last.transactions(), "approved", last.approved()));
        data.put("lastMinute", window(windowStart, last));
        data.put("responseCodes", last.responseCodes());
        Map<String, Long> connections = gaugesByTag(CONNECTIONS, "listener");
        data.put("connections", connections);
        data.put("connectionsTotal", connections.values().stream().mapToLong(Long::longValue).sum());
        data.put("inFlight", gaugeSum(IN_FLIGHT));
        data.put("journalQueue", gaugeSum(JOURNAL_QUEUE));
        data.put("issuers", issuers());
        Map<String, Long> saf = gaugesByTag(SAF_QUEUE, "issuer");
        data.put("safQueue", saf);
        data.put("safQueueTotal", registry.find(SAF_QUEUE).gauges().isEmpty() ? null
                : saf.values().stream().mapToLong(Long::longValue).sum());
        return data;
    }

    private static List<Map<String, Object>> series(List<Sample> samples) {
        List<Map<String, Object>> points = new ArrayList<>();
        for (int i = 1; i < samples.size(); i++) {
            Sample before = samples.get(i - 1);
            Sample after = samples.get(i);
            double seconds = Math.max(1, after.epochMs() - before.epochMs()) / 1000.0;
            long answered = after.transactions() - before.transactions();
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("t", after.epochMs());
            point.put("tps", round(answered / seconds));
            point.put("approvalRate", approvalRate(before, after));
            points.add(point);
        }
        return points;
    }

    /** Of the cardholders' requests answered between two samples, the share answered 00; null when there was none. */
    private static Double approvalRate(Sample from, Sample to) {
        long requests = to.cardRequests() - from.cardRequests();
        return requests <= 0 ? null : round((double) (to.approved() - from.approved()) / requests);
    }

    private static Map<String, Object> window(Sample from, Sample to) {
        Map<String, Object> window = new LinkedHashMap<>();
        long answered = to.transactions() - from.transactions();
        double seconds = Math.max(1, to.epochMs() - from.epochMs()) / 1000.0;
        window.put("seconds", round(seconds));
        window.put("transactions", answered);
        window.put("tps", round(answered / seconds));
        window.put("approvalRate", approvalRate(from, to));
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("p50", Histograms.quantile(from.latency(), to.latency(), 0.50));
        latency.put("p95", Histograms.quantile(from.latency(), to.latency(), 0.95));
        latency.put("p99", Histograms.quantile(from.latency(), to.latency(), 0.99));
        window.put("latencyMs", latency);
        Map<String, Object> commit = new LinkedHashMap<>();
        commit.put("mean", roundOrNull(Histograms.mean(from.journalCommit(), to.journalCommit())));
        commit.put("p99", Histograms.quantile(from.journalCommit(), to.journalCommit(), 0.99));
        window.put("journalCommitMs", commit);
        Map<String, Long> codes = new TreeMap<>();
        to.responseCodes().forEach((code, count) -> {
            long delta = count - from.responseCodes().getOrDefault(code, 0L);
            if (delta > 0) {
                codes.put(code, delta);
            }
        });
        window.put("responseCodes", codes);
        return window;
    }

    private List<Map<String, Object>> issuers() {
        Map<String, Map<String, Object>> byIssuer = new TreeMap<>();
        for (Gauge gauge : registry.find(LINK_UP).gauges()) {
            String issuer = gauge.getId().getTag("issuer");
            Map<String, Object> row = byIssuer.computeIfAbsent(issuer, DashboardData::issuerRow);
            row.put("up", gauge.value() >= 1);
        }
        for (Gauge gauge : registry.find(SIGNED_ON).gauges()) {
            Map<String, Object> row = byIssuer.computeIfAbsent(gauge.getId().getTag("issuer"), DashboardData::issuerRow);
            row.put("signedOn", (long) gauge.value());
        }
        for (Gauge gauge : registry.find(STAND_IN).gauges()) {
            byIssuer.computeIfAbsent(gauge.getId().getTag("issuer"), DashboardData::issuerRow).put("standIn", gauge.value() >= 1);
        }
        return new ArrayList<>(byIssuer.values());
    }

    private static Map<String, Object> issuerRow(String issuer) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("issuer", issuer);
        row.put("up", null);
        row.put("signedOn", null);
        row.put("standIn", null);
        return row;
    }

    /**
     * The business date from whichever gauge publishes it: a value written as yyyymmdd, or as days
     * since 1970-01-01. Null (shown "-") when no such gauge exists.
     */
    private String businessDate() {
        for (Meter meter : registry.getMeters()) {
            if (meter instanceof Gauge gauge && BUSINESS_DATE.matcher(meter.getId().getName()).matches()) {
                double value = gauge.value();
                if (value >= 19_000_101 && value <= 99_991_231) {
                    long v = (long) value;
                    try {
                        return LocalDate.of((int) (v / 10_000), (int) (v / 100 % 100), (int) (v % 100)).toString();
                    } catch (java.time.DateTimeException e) {
                        return null;
                    }
                }
                if (value > 0 && value < 2_932_897) {
                    return LocalDate.ofEpochDay((long) value).toString();
                }
            }
        }
        return null;
    }

    private Map<String, Long> gaugesByTag(String name, String tag) {
        Map<String, Long> values = new TreeMap<>();
        for (Gauge gauge : registry.find(name).gauges()) {
            double value = gauge.value();
            values.merge(String.valueOf(gauge.getId().getTag(tag)), Double.isNaN(value) ? 0 : (long) value, Long::sum);
        }
        return values;
    }

    private Long gaugeSum(String name) {
        var gauges = registry.find(name).gauges();
        return gauges.isEmpty() ? null : gauges.stream().mapToLong(g -> Double.isNaN(g.value()) ? 0 : (long) g.value()).sum();
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    private static Double roundOrNull(Double value) {
        return value == null ? null : round(value);
    }
}
