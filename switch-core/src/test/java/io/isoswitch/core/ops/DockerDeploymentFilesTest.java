package io.isoswitch.core.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.config.SwitchConfig;
import io.isoswitch.core.config.SwitchConfigLoader;
import io.isoswitch.core.terminal.TerminalFile;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.routing.RouteFile;
import io.isoswitch.sim.card.IssuedCard;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * What can be checked of {@code docker/} without a Docker engine: the compose file, the node
 * configuration template, the Prometheus and Grafana files parse; the node template is a valid
 * switch configuration; every metric the Grafana dashboard queries, and every label it groups by,
 * matches on or names in a legend, is one a running switch exports on {@code /metrics}, and the
 * dashboard has the fields an import needs; the runtime image runs as non-root with only the switch's jar.
 */
class DockerDeploymentFilesTest {
    private static final Path DOCKER = Path.of("..", "docker");
    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** PromQL words that are not metric names. */
    private static final Set<String> PROMQL = Set.of("sum", "rate", "irate", "increase", "histogram_quantile", "by", "without",
            "avg", "max", "min", "count", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool",
            "offset", "clamp_min", "clamp_max", "topk", "bottomk", "abs", "delta", "deriv", "time", "vector", "scalar");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern GROUPING = Pattern.compile("\\b(by|without|on|ignoring)\\s*\\(([^)]*)\\)");
    private static final Pattern SELECTOR = Pattern.compile("\\{[^}]*}");
    private static final Pattern LABEL_MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*}}");
    /** Labels Prometheus adds to every series it scrapes. */
    private static final Set<String> PROMETHEUS_LABELS = Set.of("instance", "job");

    @TempDir
    Path dir;

    @Test
    void composeDefinesTwoNodesOnePostgresTwoIssuersPrometheusAndGrafana() throws Exception {
        JsonNode compose = YAML.readTree(Files.readString(DOCKER.resolve("compose.yaml")));
        JsonNode services = compose.path("services");
        assertThat(iterable(services.propertyNames())).contains("postgres", "keys", "bank-a", "bank-b", "switch-1", "switch-2",
                "prometheus", "grafana");
        for (String bank : List.of("bank-a", "bank-b")) {
            assertThat(services.path(bank).path("command").get(0).asString()).isEqualTo("issuer");
        }
        for (String node : List.of("switch-1", "switch-2")) {
            JsonNode service = services.path(node);
            assertThat(service.path("command").get(0).asString()).isEqualTo("serve");
            assertThat(service.path("build").path("dockerfile").asString()).isEqualTo("docker/Dockerfile");
        }
        // every file the services mount from the repository is there
        for (JsonNode service : services) {
            for (JsonNode volume : service.path("volumes")) {
                String source = volume.asString().split(":")[0];
                if (source.startsWith(".")) {
                    assertThat(DOCKER.resolve(source)).as(volume.asString()).exists();
                }
            }
        }
    }

    @Test
    void theNodeTemplateIsAValidConfigurationForBothNodes() throws Exception {
        String template = Files.readString(DOCKER.resolve("config/switch.yaml.template"));
        for (String node : List.of("node-1", "node-2")) {
            String yaml = template.replace("@NODE@", node).replace("@ZMK@", "D0128K0TB00S0000TESTONLY");
            SwitchConfig config = SwitchConfigLoader.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), node);
            assertThat(config.nodeId()).isEqualTo(node);
            assertThat(config.ops().port()).isEqualTo(8080);
            assertThat(config.issuers()).extracting(i -> i.host()).containsExactly("bank-a", "bank-b");
        }
        Path terminals = dir.resolve("terminals.yaml");
        Files.writeString(terminals, Files.readString(DOCKER.resolve("config/terminals.yaml.template")).replace("@TMK@", "D0128TESTONLY"));
        assertThat(TerminalFile.read(terminals).terminals()).hasSize(3);
        assertThat(RouteFile.load(DOCKER.resolve("config/routes.yaml")).rangeCount()).isEqualTo(2);
    }

    @Test
    void prometheusScrapesBothNodesAndGrafanaReadsPrometheus() throws Exception {
        JsonNode prometheus = YAML.readTree(Files.readString(DOCKER.resolve("prometheus/prometheus.yml")));
        List<String> targets = new ArrayList<>();
        for (JsonNode job : prometheus.path("scrape_configs")) {
            assertThat(job.path("metrics_path").asString()).isEqualTo("/metrics");
            for (JsonNode staticConfig : job.path("static_configs")) {
                staticConfig.path("targets").forEach(t -> targets.add(t.asString()));
            }
        }
        assertThat(targets).containsExactlyInAnyOrder("switch-1:8080", "switch-2:8080");
        JsonNode datasource = YAML.readTree(Files.readString(DOCKER.resolve("grafana/provisioning/datasources/prometheus.yaml")))
                .path("datasources").get(0);
        assertThat(datasource.path("url").asString()).isEqualTo("http://prometheus:9090");
        JsonNode dashboard = JSON.readTree(Files.readString(DOCKER.resolve("grafana/dashboards/iso-switch.json")));
        // panels read the data source through a variable, so that an import binds to any Prometheus;
        // provisioned, the variable's default is the compose file's data source
        JsonNode variable = dashboard.path("templating").path("list").get(0);
        assertThat(variable.path("type").asString()).isEqualTo("datasource");
        assertThat(variable.path("query").asString()).isEqualTo("prometheus");
        assertThat(variable.path("current").path("value").asString()).isEqualTo(datasource.path("uid").asString());
        String reference = "${" + variable.path("name").asString() + "}";
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(panel.path("datasource").path("uid").asString()).isEqualTo(reference);
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("datasource").path("uid").asString()).isEqualTo(reference);
            }
        }
    }

    @Test
    void everyMetricAndLabelTheGrafanaDashboardQueriesIsExportedByARunningSwitch() throws Exception {
        Map<String, Set<String>> exported;
        try (JournalBackend backend = JournalBackend.h2();
             SwitchFixture fixture = SwitchFixture.start(SwitchFixture.Options.of(backend, dir))) {
            // one purchase, so that every transaction meter has a series
            TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
            IssuedCard card = fixture.issuer().card(0);
            IsoMessage answer = terminal.send(terminal.pinPurchase(card, "000002", 100));
            assertThat(answer.getString(39)).isEqualTo("00");
            String scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + fixture.node().opsPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            exported = metricLabels(scrape);
        }
        JsonNode dashboard = JSON.readTree(Files.readString(DOCKER.resolve("grafana/dashboards/iso-switch.json")));
        List<String> queried = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asString();
                List<String> metrics = metricsIn(expr);
                assertThat(exported.keySet()).as(expr).containsAll(metrics);
                queried.addAll(metrics);
                // every label it groups by, matches on or names in a legend is one of its metrics' (or Prometheus's own)
                Set<String> labels = new HashSet<>(PROMETHEUS_LABELS);
                metrics.forEach(metric -> labels.addAll(exported.getOrDefault(metric, Set.of())));
                List<String> used = new ArrayList<>(labelsIn(expr));
                used.addAll(placeholders(target.path("legendFormat").asString()));
                assertThat(labels).as("labels of " + expr).containsAll(used);
            }
        }
        // what operations need to see: traffic, latency, issuers, stand-in, the queue (depth, age, what each node has out
        // to the issuer), the journal, errors, connections
        assertThat(queried).contains("switch_transactions_total", "switch_transaction_latency_seconds_bucket",
                "switch_issuer_link_up", "switch_standin_active", "switch_saf_queue", "switch_saf_oldest_age_seconds",
                "switch_saf_in_flight", "switch_journal_commit_latency_seconds_bucket",
                "switch_decode_errors_total", "switch_icc_malformed_total", "switch_mac_failures_total",
                "switch_issuer_mac_failures_total", "switch_connections", "switch_connections_refused_total");
        List<String> exprs = new ArrayList<>();
        dashboard.path("panels").forEach(panel -> panel.path("targets").forEach(t -> exprs.add(t.path("expr").asString())));
        assertThat(exprs).anyMatch(e -> e.contains("by (type)") && e.contains("switch_transactions_total"))
                .anyMatch(e -> e.contains("by (response_code)") && e.contains("switch_transactions_total"));
    }

    /** Its approval rate counts what the switch's own dashboard counts: cardholders' requests, not echoes or sign-ons. */
    @Test
    void theGrafanaApprovalRateCountsTheTypesThatAskForApproval() throws Exception {
        JsonNode dashboard = JSON.readTree(Files.readString(DOCKER.resolve("grafana/dashboards/iso-switch.json")));
        Set<String> expected = new java.util.TreeSet<>();
        for (io.isoswitch.core.txn.TransactionType type : io.isoswitch.core.txn.TransactionType.values()) {
            if (type.asksForApproval()) {
                expected.add(type.tag());
            }
        }
        String expr = null;
        for (JsonNode panel : dashboard.path("panels")) {
            if (panel.path("title").asString().startsWith("Approval rate")) {
                expr = panel.path("targets").get(0).path("expr").asString();
            }
        }
        assertThat(expr).as("the approval rate panel").isNotNull();
        java.util.regex.Matcher types = java.util.regex.Pattern.compile("type=~\"([^\"]*)\"").matcher(expr);
        int selectors = 0;
        while (types.find()) {
            selectors++;
            assertThat(new java.util.TreeSet<>(List.of(types.group(1).split("\\|")))).as(expr).isEqualTo(expected);
        }
        assertThat(selectors).as("numerator and denominator both select by type: " + expr).isEqualTo(2);
    }

    @Test
    void theGrafanaDashboardHasTheFieldsAnImportNeeds() throws Exception {
        JsonNode dashboard = JSON.readTree(Files.readString(DOCKER.resolve("grafana/dashboards/iso-switch.json")));
        assertThat(dashboard.path("uid").asString()).isNotBlank();
        assertThat(dashboard.path("title").asString()).isNotBlank();
        assertThat(dashboard.path("schemaVersion").isInt()).isTrue();
        assertThat(dashboard.path("panels").isArray()).isTrue();
        Set<Integer> ids = new HashSet<>();
        List<int[]> cells = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            String title = panel.path("title").asString();
            assertThat(ids.add(panel.path("id").asInt())).as("unique id of " + title).isTrue();
            assertThat(panel.path("type").asString()).as(title).isIn("timeseries", "stat", "table", "gauge", "bargauge");
            JsonNode grid = panel.path("gridPos");
            int x = grid.path("x").asInt();
            int y = grid.path("y").asInt();
            int w = grid.path("w").asInt();
            int h = grid.path("h").asInt();
            assertThat(w).as(title).isPositive();
            assertThat(h).as(title).isPositive();
            assertThat(x + w).as(title + " fits the 24 columns").isLessThanOrEqualTo(24);
            for (int[] other : cells) {
                boolean overlaps = x < other[0] + other[2] && other[0] < x + w && y < other[1] + other[3] && other[1] < y + h;
                assertThat(overlaps).as(title + " overlaps another panel").isFalse();
            }
            cells.add(new int[] {x, y, w, h});
            Set<String> refIds = new HashSet<>();
            assertThat(panel.path("targets")).as(title).isNotEmpty();
            for (JsonNode target : panel.path("targets")) {
                assertThat(refIds.add(target.path("refId").asString())).as("unique refId in " + title).isTrue();
                assertThat(target.path("expr").asString()).as(title).isNotBlank();
            }
            assertThat(panel.path("fieldConfig").path("defaults").path("unit").asString()).as(title).isNotBlank();
        }
    }

    @Test
    void theRuntimeImageRunsAsNonRootWithOnlyTheSwitchJar() throws Exception {
        List<String> lines = Files.readAllLines(DOCKER.resolve("Dockerfile"));
        int runtime = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("FROM ")) {
                runtime = i;
            }
        }
        List<String> stage = lines.subList(runtime, lines.size());
        assertThat(lines.get(runtime)).contains("jre");
        assertThat(stage.stream().filter(l -> l.startsWith("COPY ")).toList())
                .containsExactly("COPY --from=build /src/cli/target/iso-switch.jar /opt/iso-switch/iso-switch.jar");
        assertThat(stage.stream().filter(l -> l.startsWith("USER ")).toList()).singleElement()
                .satisfies(user -> assertThat(user).doesNotContain("root").doesNotMatch("USER 0(:.*)?"));
    }

    /** Metric names of a Prometheus text exposition (samples, not comments), each with its label names. */
    static Map<String, Set<String>> metricLabels(String exposition) {
        Map<String, Set<String>> metrics = new HashMap<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = IDENTIFIER.matcher(line);
            if (m.lookingAt()) {
                Set<String> labels = metrics.computeIfAbsent(m.group(), name -> new HashSet<>());
                int open = line.indexOf('{');
                if (open == m.end()) {
                    Matcher label = LABEL_MATCHER.matcher(line.substring(open, line.indexOf('}') + 1));
                    while (label.find()) {
                        labels.add(label.group(1));
                    }
                }
            }
        }
        return metrics;
    }

    /** The label names a PromQL expression groups by or matches on. */
    static List<String> labelsIn(String expr) {
        List<String> labels = new ArrayList<>();
        Matcher grouping = GROUPING.matcher(expr);
        while (grouping.find()) {
            for (String label : grouping.group(2).split(",")) {
                if (!label.isBlank()) {
                    labels.add(label.strip());
                }
            }
        }
        Matcher selector = SELECTOR.matcher(expr.replaceAll("\\[[^]]*]", " "));
        while (selector.find()) {
            Matcher label = LABEL_MATCHER.matcher(selector.group());
            while (label.find()) {
                labels.add(label.group(1));
            }
        }
        return labels;
    }

    /** The labels a legend format names, {@code {{issuer}}}. */
    static List<String> placeholders(String legendFormat) {
        List<String> labels = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(legendFormat);
        while (m.find()) {
            labels.add(m.group(1));
        }
        return labels;
    }

    /** The metric names of a PromQL expression: identifiers outside label matchers, strings and ranges, less PromQL's words. */
    static List<String> metricsIn(String expr) {
        String stripped = expr.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ").replaceAll("\"[^\"]*\"", " ")
                .replaceAll("(by|without|on|ignoring)\\s*\\([^)]*\\)", " ");
        List<String> names = new ArrayList<>();
        Matcher m = IDENTIFIER.matcher(stripped);
        while (m.find()) {
            String word = m.group();
            boolean numberPart = m.start() > 0 && Character.isDigit(stripped.charAt(m.start() - 1));
            if (!PROMQL.contains(word) && !numberPart) {
                names.add(word);
            }
        }
        return names;
    }

    private static <T> Iterable<T> iterable(java.util.Collection<T> collection) {
        return collection;
    }
}
