package io.isoswitch.core.config;

import io.isoswitch.core.issuer.IssuerConfig;
import io.isoswitch.routing.KeyPaths;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads a {@link SwitchConfig} from YAML. Unknown keys are errors (a typo must not silently fall
 * back to a default); missing keys take their defaults.
 */
public final class SwitchConfigLoader {
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            // an amount in minor units with a fraction (1000.50) is a mistake, not 1000
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .build();

    private SwitchConfigLoader() {
    }

    /** Loads the file, or returns the defaults when {@code file} is null. */
    public static SwitchConfig load(Path file) {
        if (file == null) {
            return SwitchConfig.defaults();
        }
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses YAML text; {@code source} names it in errors. */
    public static SwitchConfig parse(InputStream yaml, String source) {
        try {
            SwitchConfig config = YAML.readValue(yaml, SwitchConfig.class);
            return config == null ? SwitchConfig.defaults() : config;
        } catch (tools.jackson.databind.exc.UnrecognizedPropertyException e) {
            // Jackson's own text names internal classes and says it all twice; a person needs the key
            java.util.List<String> known = e.getKnownPropertyIds() == null ? java.util.List.of()
                    : e.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
            // no cause: Jackson's message (class names, the same said twice) would be printed after ours
            throw new ConfigException(source + ": unknown key " + KeyPaths.of(e) + " (a typo? keys here: "
                    + String.join(", ", known) + ")");
        } catch (tools.jackson.databind.exc.MismatchedInputException e) {
            ConfigException cause = findConfigException(e);
            if (cause != null) {
                throw new ConfigException(source + ": " + cause.getMessage(), cause);
            }
            String key = KeyPaths.of(e);
            throw new ConfigException(source + at(e) + ": " + (key.isEmpty() ? "the file" : key) + ": expected "
                    + expected(e.getTargetType()) + found(e));
        } catch (JacksonException e) {
            ConfigException cause = findConfigException(e);
            if (cause != null) {
                throw new ConfigException(source + ": " + cause.getMessage(), cause);
            }
            // not YAML at all (a missing bracket, a tab): the parser's own words and where
            throw new ConfigException(source + at(e) + ": " + e.getOriginalMessage());
        }
    }

    /** Where in the file, as an editor shows it; empty where Jackson knows no place. */
    private static String at(JacksonException e) {
        tools.jackson.core.TokenStreamLocation location = e.getLocation();
        return location == null || location.getLineNr() < 1 ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    /** What a value of {@code type} is written as in YAML, in a person's words. */
    private static String expected(Class<?> type) {
        if (type == null) {
            return "another kind of value";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "text";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "a list (- item, or [a, b])";
        }
        if (java.util.Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a mapping (key: value, or {key: value})";
        }
        return "a value of another kind";
    }

    private static String found(tools.jackson.databind.exc.MismatchedInputException e) {
        if (e instanceof tools.jackson.databind.exc.InvalidFormatException invalid && invalid.getValue() != null) {
            return ", found \"" + invalid.getValue() + "\"";
        }
        tools.jackson.core.JsonToken token = e.getCurrentToken();
        if (token == null) {
            return "";
        }
        return switch (token) {
            case START_ARRAY -> ", found a list";
            case START_OBJECT -> ", found a mapping";
            case VALUE_STRING -> ", found text";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> ", found a number";
            case VALUE_TRUE, VALUE_FALSE -> ", found true/false";
            default -> "";
        };
    }

    /**
     * The effective configuration as YAML, secrets masked, for the start-up log. Key blocks are
     * masked too (as their holders' {@code toString} does): encrypted under the LMK, but logs travel
     * further than the configuration file and are kept longer.
     */
    public static String describe(SwitchConfig config) {
        SecurityConfig security = new SecurityConfig(config.security().lmkFile(), Secrets.maskOrNull(config.security().panTokenKey()),
                Secrets.maskOrNull(config.security().panDataKey()));
        List<IssuerConfig> issuers = config.issuers().stream()
                .map(issuer -> issuer.zmkKeyBlock() == null ? issuer : issuer.withZmk("******")).toList();
        SwitchConfig masked = new SwitchConfig(config.nodeId(), config.businessZone(), config.listeners(),
                new OpsConfig(config.ops().host(), config.ops().port(), config.ops().token().isEmpty() ? "" : "******",
                        config.ops().drainTimeoutMs()),
                config.journal().masked(), security, config.pipeline(), issuers,
                config.routesFile(), config.terminalsFile(), config.limits(), config.transactions(), config.standIn(),
                config.settlement(), config.emvParametersFile(), config.saf());
        return YAML.writeValueAsString(masked);
    }

    private static ConfigException findConfigException(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigException config) {
                return config;
            }
        }
        return null;
    }
}
