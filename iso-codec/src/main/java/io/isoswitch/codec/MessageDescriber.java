package io.isoswitch.codec;

import java.util.Map;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Describes a message for people and logs, as text or JSON, masking card data by default (fields
 * 2, 14, 34, 35, 36, 45, 52, 55, 102, 103; card numbers as first 6 + last 4; the PANs in a batch upload's field 48). Values are the character form jPOS's
 * {@code getString} gives (binary as uppercase hex).
 *
 * <pre>
 * text: 0200 2=476173******0119 3=000000 4=000000012345 11=000001 35=*************************************
 * json: {"mti":"0200","fields":{"2":"476173******0119","3":"000000", ...}}
 * </pre>
 */
public final class MessageDescriber {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private MessageDescriber() {
    }

    /** One line of text; {@code masked} false shows card data (tools only, never logs). */
    public static String describe(IsoMessage message, boolean masked) {
        StringBuilder text = new StringBuilder(message.mti());
        for (int field : message.fields()) {
            text.append(' ').append(field).append('=').append(value(message, field, masked));
        }
        return text.toString();
    }

    /** Describes a wrapped view (copies its fields). */
    public static String describe(IsoMessageView view, boolean masked) {
        return describe(IsoMessage.from(view), masked);
    }

    /** The JSON object {@code {"mti":..., "fields":{"2":...}}}. */
    public static ObjectNode toJsonNode(IsoMessage message, boolean masked) {
        ObjectNode root = JSON.createObjectNode();
        root.put("mti", message.mti());
        ObjectNode fields = root.putObject("fields");
        for (int field : message.fields()) {
            fields.put(Integer.toString(field), value(message, field, masked));
        }
        return root;
    }

    /** The JSON object as one line of text. */
    public static String toJson(IsoMessage message, boolean masked) {
        return JSON.writeValueAsString(toJsonNode(message, masked));
    }

    /**
     * Builds a message from the JSON form ({@code {"mti":"0200","fields":{"3":"000000", "52":"0A1B..."}}});
     * binary fields are given as hex.
     */
    public static IsoMessage fromJson(String json) {
        tools.jackson.databind.JsonNode root = JSON.readTree(json);
        if (root == null || !root.isObject() || !root.has("mti") || !root.get("mti").isString()) {
            throw new IsoCodecException("mti", -1, "expected a JSON object with a string \"mti\"");
        }
        IsoMessage message = new IsoMessage(root.get("mti").asString());
        tools.jackson.databind.JsonNode fields = root.get("fields");
        if (fields != null) {
            if (!fields.isObject()) {
                throw new IsoCodecException("fields", -1, "expected \"fields\" to be a JSON object");
            }
            for (Map.Entry<String, tools.jackson.databind.JsonNode> entry : fields.properties()) {
                int field;
                try {
                    field = Integer.parseInt(entry.getKey());
                } catch (NumberFormatException e) {
                    throw new IsoCodecException(entry.getKey(), -1, "expected a field number as the key");
                }
                if (!entry.getValue().isString()) {
                    throw new IsoCodecException(entry.getKey(), -1, "expected a string value");
                }
                if (field < 2 || field > io.isoswitch.codec.spec.MessageSpec.MAX_FIELD) {
                    throw new IsoCodecException(entry.getKey(), -1, "expected a field number 2.." + io.isoswitch.codec.spec.MessageSpec.MAX_FIELD);
                }
                message.set(field, entry.getValue().asString());
            }
        }
        return message;
    }

    private static String value(IsoMessage message, int field, boolean masked) {
        String value = message.getString(field);
        return masked ? Masking.mask(message.mti(), field, value) : value;
    }
}
