package io.isoswitch.core.emv;

import io.isoswitch.core.config.ConfigException;
import io.isoswitch.routing.KeyPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads the EMV parameters file ({@code emvParametersFile} in the switch's configuration):
 *
 * <pre>
 * parameterDownload: {supportedTransactions: "1111...", advertisement: "Welcome"}
 * caPublicKeys:
 *   - {rid: A000000333, index: "08", expiry: "20301231", modulus: "B616...", exponent: "03", checksum: "EE23..."}
 * applications:
 *   - {aid: A000000333010101, applicationVersion: "0020", tacDefault: D84000A800, ...}
 * </pre>
 *
 * Every value is checked when the file is read (hex, lengths, dates, each key's SHA-1 checksum,
 * duplicates); an error names the file, the line and column, the key path and what was expected.
 */
public final class EmvParametersFile {
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /**
     * The demo's file on the class path: UnionPay's published test CA keys and the UnionPay AIDs
     * (the demo writes it next to its other files; tests read it).
     */
    public static final String DEMO_RESOURCE = "/io/isoswitch/core/emv/demo-emv-parameters.yaml";

    private EmvParametersFile() {
    }

    /** The text of {@link #DEMO_RESOURCE}. */
    public static String demoText() {
        try (java.io.InputStream in = EmvParametersFile.class.getResourceAsStream(DEMO_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(DEMO_RESOURCE + " is not on the class path");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The file's contents, checked. */
    public static EmvParameters load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException("cannot read EMV parameters file " + file + ": " + e.getMessage(), e);
        }
        return parse(text, "EMV parameters file " + file);
    }

    /** Parses YAML text; {@code source} names it in errors. */
    public static EmvParameters parse(String yaml, String source) {
        if (yaml.isBlank()) {
            return EmvParameters.none();
        }
        try {
            EmvParameters parameters = YAML.readValue(yaml, EmvParameters.class);
            return parameters == null ? EmvParameters.none() : parameters;
        } catch (UnrecognizedPropertyException e) {
            String where = at(e).isEmpty() ? lineOf(yaml, String.valueOf(e.getPropertyName())) : at(e);
            throw new ConfigException(source + where + ": unknown key " + KeyPaths.of(e) + " (a typo? keys here: "
                    + String.join(", ", e.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList()) + ")");
        } catch (JacksonException e) {
            String key = KeyPaths.of(e);
            IllegalArgumentException invalid = invalidValue(e);
            String what = invalid != null ? invalid.getMessage() : e.getOriginalMessage();
            // no cause: Jackson's own text repeats class names a person does not need
            throw new ConfigException(source + at(e) + ": " + (key.isEmpty() ? "" : key + ": ") + what);
        } catch (IllegalArgumentException e) {
            // a check across entries (duplicates, too many), made after the whole file was read
            throw new ConfigException(source + ": " + e.getMessage());
        }
    }

    private static String at(JacksonException e) {
        tools.jackson.core.TokenStreamLocation location = e.getLocation();
        if (location == null && e.processor() instanceof tools.jackson.core.JsonParser parser) {
            // an unknown key of a record is reported once the record's keys are all read: the
            // parser is still where it stopped, close to the key
            location = parser.currentTokenLocation();
        }
        return location == null || location.getLineNr() < 1 ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    /**
     * Where {@code key} is first written as a key. Jackson reports an unknown key of a record with
     * no location (it finds it only after reading the whole record), and a person needs the line.
     */
    private static String lineOf(String yaml, String key) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^(.*?[\\s{,-])?(" + java.util.regex.Pattern.quote(key) + ")\\s*:")
                .matcher(yaml);
        if (!m.find()) {
            return "";
        }
        int offset = m.start(2);
        int line = 1 + (int) yaml.substring(0, offset).chars().filter(c -> c == '\n').count();
        int column = offset - yaml.lastIndexOf('\n', offset - 1);
        return " (line " + line + ", column " + column + ")";
    }

    private static IllegalArgumentException invalidValue(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException invalid) {
                return invalid;
            }
        }
        return null;
    }
}
