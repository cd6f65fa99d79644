package io.isoswitch.codec.spec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads a dialect from a YAML or JSON spec file (JSON is YAML, so one parser serves both) and
 * checks it while building it: every complaint names the field.
 *
 * <pre>
 * name: my-network
 * mti: BCD              # BCD, ASCII or EBCDIC
 * bitmap: BINARY        # BINARY or HEX
 * maxBitmaps: 2         # 1, 2 or 3
 * headerLength: 0       # bytes framing strips before the MTI
 * fields:
 *   - {id: 2, type: n, length: LL, max: 19, prefix: BCD, encoding: BCD, nibble: RIGHT, name: PAN}
 *   - {id: 4, type: n, length: 12, encoding: BCD}          # a number as length: FIXED
 *   - {id: 43, type: ans, length: 40, encoding: EBCDIC, padding: SPACES_RIGHT}
 * </pre>
 */
public final class SpecFileLoader {
    private static final ObjectMapper YAML = YAMLMapper.builder().build();
    private static final Set<String> SPEC_KEYS = Set.of("name", "mti", "bitmap", "maxBitmaps", "headerLength", "fields");
    private static final Set<String> FIELD_KEYS = Set.of("id", "name", "type", "length", "max", "prefix",
            "encoding", "nibble", "padding", "subfieldKind", "subfields");

    private SpecFileLoader() {
    }

    /** Loads a spec file; throws {@link InvalidSpecException} naming the field at fault. */
    public static MessageSpec load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return load(in, file.toString());
        } catch (IOException e) {
            throw new InvalidSpecException("file", "cannot read spec file " + file + ": " + e.getMessage());
        }
    }

    /** Loads a spec from a stream; {@code source} names it in errors. */
    public static MessageSpec load(InputStream in, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(in);
        } catch (JacksonException e) {
            throw new InvalidSpecException("file", source + " is not valid YAML or JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidSpecException("file", source + " must hold a mapping with name, mti, bitmap and fields");
        }
        unknownKeys(root, SPEC_KEYS, "spec");
        String name = text(root, "name", "spec");
        ContentEncoding mti = enumOf(ContentEncoding.class, text(root, "mti", "mti"), "mti");
        BitmapEncoding bitmap = enumOf(BitmapEncoding.class, text(root, "bitmap", "bitmap"), "bitmap");
        int maxBitmaps = root.has("maxBitmaps") ? integer(root.get("maxBitmaps"), "bitmap", "maxBitmaps") : 2;
        int header = root.has("headerLength") ? integer(root.get("headerLength"), "header", "headerLength") : 0;
        JsonNode fieldNodes = root.get("fields");
        if (fieldNodes == null || !fieldNodes.isArray() || fieldNodes.isEmpty()) {
            throw new InvalidSpecException("fields", name + ": 'fields' must be a non-empty list");
        }
        List<FieldSpec> fields = new ArrayList<>();
        int index = 0;
        for (JsonNode node : fieldNodes) {
            index++;
            if (!node.isObject() || !node.has("id")) {
                throw new InvalidSpecException("fields[" + index + "]", name + ": each field needs an 'id'");
            }
            int id = integer(node.get("id"), "fields[" + index + "]", "id");
            fields.add(field(node, FieldSpec.builder(id), Integer.toString(id), null));
        }
        return new MessageSpec(name, mti, bitmap, maxBitmaps, header, fields);
    }

    private static FieldSpec field(JsonNode node, FieldSpec.Builder builder, String path, FieldSpec parent) {
        unknownKeys(node, FIELD_KEYS, path);
        FieldType type;
        try {
            type = FieldType.ofCode(text(node, "type", path));
        } catch (IllegalArgumentException e) {
            throw new InvalidSpecException(path, e.getMessage());
        }
        builder.type(type).name(node.has("name") ? node.get("name").asString() : null);
        JsonNode length = node.get("length");
        if (length == null) {
            throw new InvalidSpecException(path, "'length' is missing (a number for FIXED, or L, LL, LLL, LLLL with 'max')");
        }
        if (length.isNumber()) {
            builder.fixed(integer(length, path, "length"));
            if (node.has("max") || node.has("prefix")) {
                throw new InvalidSpecException(path, "a FIXED field (numeric 'length') takes no 'max' or 'prefix'");
            }
        } else {
            LengthKind kind = enumOf(LengthKind.class, length.asString(), path);
            if (!node.has("max")) {
                throw new InvalidSpecException(path, "a " + kind + " field needs 'max'");
            }
            PrefixEncoding prefix = node.has("prefix") ? enumOf(PrefixEncoding.class, node.get("prefix").asString(), path) : null;
            builder.variable(kind, prefix, integer(node.get("max"), path, "max"));
        }
        ContentEncoding encoding;
        if (node.has("encoding")) {
            encoding = enumOf(ContentEncoding.class, node.get("encoding").asString(), path);
        } else if (parent != null) {
            encoding = parent.encoding().canCarry(type) ? parent.encoding() : ContentEncoding.ASCII;
        } else {
            throw new InvalidSpecException(path, "'encoding' is missing (ASCII, EBCDIC, BCD, BINARY or HEX)");
        }
        builder.encoding(encoding);
        if (node.has("nibble")) {
            builder.nibblePadding(enumOf(NibblePadding.class, node.get("nibble").asString(), path));
        }
        if (node.has("padding")) {
            builder.padding(enumOf(Padding.class, node.get("padding").asString(), path));
        }
        SubfieldKind kind = node.has("subfieldKind") ? enumOf(SubfieldKind.class, node.get("subfieldKind").asString(), path) : SubfieldKind.NONE;
        List<FieldSpec> subs = new ArrayList<>();
        JsonNode subNodes = node.get("subfields");
        if (subNodes != null) {
            if (!subNodes.isArray()) {
                throw new InvalidSpecException(path, "'subfields' must be a list");
            }
            FieldSpec self = builder.build();
            int position = 0;
            for (JsonNode sub : subNodes) {
                position++;
                if (!sub.isObject()) {
                    throw new InvalidSpecException(path + "." + position, "a subfield must be a mapping");
                }
                subs.add(field(sub, builder.subfield(position), path + "." + position, self));
            }
        }
        return builder.subfields(kind, subs).build();
    }

    private static void unknownKeys(JsonNode node, Set<String> allowed, String path) {
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!allowed.contains(entry.getKey())) {
                throw new InvalidSpecException(path, "unknown key '" + entry.getKey() + "' (allowed: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    private static String text(JsonNode node, String key, String path) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull() || value.asString().isBlank()) {
            throw new InvalidSpecException(path, "'" + key + "' is missing");
        }
        return value.asString();
    }

    private static int integer(JsonNode value, String path, String key) {
        if (value == null || !value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new InvalidSpecException(path, "'" + key + "' must be a whole number");
        }
        return value.intValue();
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, String value, String path) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> names = new ArrayList<>();
            for (E constant : type.getEnumConstants()) {
                names.add(constant.name());
            }
            throw new InvalidSpecException(path, "'" + value + "' is not a " + type.getSimpleName() + " (expected one of " + names + ")");
        }
    }
}
