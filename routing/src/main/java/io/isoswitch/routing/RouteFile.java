package io.isoswitch.routing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads a routing table from a YAML route file (format in docs/routing.md):
 *
 * <pre>
 * defaultRoute:                      # optional: BINs no range covers
 *   primary: own-host
 * routes:
 *   - name: unionpay
 *     bins: ["622588", "62258800..62258899"]
 *     primary: cup-a
 *     secondary: cup-b               # optional
 *     rules:                         # optional, first match wins
 *       - name: high-value
 *         mti: ["0200"]
 *         processingCode: ["00"]
 *         currency: [156]
 *         minAmountMinor: 1000000
 *         primary: cup-high-value
 * </pre>
 *
 * Unknown keys are errors (a misspelt key silently ignored would misroute money).
 */
public final class RouteFile {
    private static final String DEFAULT_ROUTE_NAME = "default";
    private static final YAMLMapper MAPPER = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private RouteFile() {
    }

    /**
     * Reads and checks the route file at {@code path}.
     *
     * @throws RoutingException naming the file and what is wrong
     */
    public static RoutingTable load(Path path) {
        String yaml;
        try {
            yaml = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RoutingException("cannot read route file " + path + ": " + e.getMessage(), e);
        }
        try {
            return parse(yaml);
        } catch (RoutingException e) {
            throw new RoutingException("route file " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses and checks route file text.
     *
     * @throws RoutingException saying what is wrong and where
     */
    public static RoutingTable parse(String yaml) {
        if (yaml == null || yaml.isBlank()) {
            throw new RoutingException("route file is empty");
        }
        FileModel file;
        try {
            file = MAPPER.readValue(yaml, FileModel.class);
        } catch (JacksonException e) {
            throw new RoutingException("malformed route file" + where(e) + ": " + e.getOriginalMessage(), e);
        }
        if (file == null) {
            throw new RoutingException("route file is empty");
        }
        List<RouteDefinition> routes = file.routes() == null ? List.of()
                : file.routes().stream().map(RouteFile::toDefinition).toList();
        RouteDefinition defaultRoute = file.defaultRoute() == null ? null : toDefaultDefinition(file.defaultRoute());
        return RoutingTable.of(routes, defaultRoute);
    }

    /** The key path (e.g. {@code routes[0].primry}) and the line, where Jackson knows them. */
    private static String where(JacksonException e) {
        String path = KeyPaths.of(e);
        String at = path.isEmpty() ? "" : " at " + path;
        int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
        return line > 0 ? at + " (line " + line + ")" : at;
    }

    private static RouteDefinition toDefinition(RouteModel model) {
        if (model.bins() == null || model.bins().isEmpty()) {
            throw new RoutingException("route " + model.name() + " lists no bins");
        }
        List<BinRange> bins = model.bins().stream().map(BinRange::parse).toList();
        return new RouteDefinition(model.name(), bins, issuers(model.name(), model.primary(), model.secondary()),
                rules(model.rules()));
    }

    private static RouteDefinition toDefaultDefinition(DefaultRouteModel model) {
        String name = model.name() == null ? DEFAULT_ROUTE_NAME : model.name();
        return new RouteDefinition(name, List.of(), issuers(name, model.primary(), model.secondary()), rules(model.rules()));
    }

    private static List<RouteRule> rules(List<RuleModel> models) {
        if (models == null) {
            return List.of();
        }
        return models.stream().map(rule -> new RouteRule(rule.name(), rule.mti(), rule.processingCode(),
                rule.currency(), rule.minAmountMinor(), rule.maxAmountMinor(),
                issuers("rule " + rule.name(), rule.primary(), rule.secondary()))).toList();
    }

    private static Issuers issuers(String owner, String primary, String secondary) {
        if (primary == null) {
            throw new RoutingException(owner + " needs a primary issuer");
        }
        return new Issuers(primary, secondary);
    }

    record FileModel(DefaultRouteModel defaultRoute, List<RouteModel> routes) {
    }

    record DefaultRouteModel(String name, String primary, String secondary, List<RuleModel> rules) {
    }

    record RouteModel(String name, List<String> bins, String primary, String secondary, List<RuleModel> rules) {
    }

    record RuleModel(String name, Set<String> mti, Set<String> processingCode, Set<Integer> currency,
            Long minAmountMinor, Long maxAmountMinor, String primary, String secondary) {
    }
}
